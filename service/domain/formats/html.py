"""HTML to blocks: the report as a portal's CMS stores it.

The markup is read with lxml's HTML parser (libxml2, which recovers from broken markup and
caps nesting depth, so 10,000 nested tags cost nothing) and walked with `iterwalk`: an
iterative walk, never Python recursion. What comes out:

* every *leaf* table (one that holds no other table) gives one row block per ``<tr>``, one
  cell per ``<td>``/``<th>`` in reading order. ``colspan`` and ``rowspan`` are expanded into
  empty cells where the merged cell's other grid positions are, as a text layout would show
  them; the table reader takes empty cells as the empty halves of merged cells. Everything
  inside a cell (``<p>``, ``<span>``, ``<br>``, Word's ``<o:p>``) is the cell's text;
* tables that hold other tables are page layout (a CMS page in a frame of tables): their
  cells are just boxes of paragraphs;
* every other block element (``<p>``, ``<div>``, headings, ``<br>``, list items) ends a
  paragraph; ``<script>``, ``<style>``, ``<head>`` and elements hidden with
  ``display:none`` are skipped.

Each cell carries ``ref`` "T<t>R<r>C<c>": the t-th leaf table of the page, its r-th ``<tr>``,
the c-th cell element of that row, all 1-based and counted in the markup as written (spans do
not shift them). ``line`` is the element's line in the source.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from service.domain.decode import DecodeError, decode
from service.domain.document import Block, Cell, Document
from service.domain.formats.errors import DocumentError
from service.domain.formats.tree import leaf_tables
from service.domain.normalize import normalize_text

_SKIP = frozenset({"script", "style", "head", "noscript", "template", "iframe", "object",
                   "svg", "math", "select", "textarea", "button"})
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "br",
    "hr", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
    "pre", "address", "figure", "figcaption", "form", "fieldset", "center", "table", "tr",
    "td", "th", "caption", "thead", "tbody", "tfoot", "body", "html",
})
# The widest grid a report table needs is table 3 printed flat (15 numbers and a label or
# two); merged-cell padding stops here, so hostile spans cannot multiply the output.
MAX_GRID = 40
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534


def read_html(data: bytes | str, charset: str | None = None) -> Document:
    """Read an HTML page or fragment into blocks; see the module docstring."""
    text = data if isinstance(data, str) else _to_text(data, charset)
    text = normalize_text(text)
    if not text.strip():
        return Document(blocks=[], layout="html", line_count=0)
    parser = lxml_html.HTMLParser(
        encoding="utf-8", recover=True, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        raise DocumentError("corrupt", "the HTML has no content an HTML parser can read") from None
    if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
        # libxml2 stops descending at 256 nested elements and silently drops what is deeper:
        # the page would be answered as a report without its content.
        raise DocumentError("too-large", "the HTML nests elements deeper than the 256 levels it is read to (unclosed tags?)")
    return _Walker(_leaf_tables(root)).walk(root, text.count("\n") + 1)


def _to_text(data: bytes, charset: str | None) -> str:
    """Decode by the declared charset, else the page's own <meta> charset, else sniffing."""
    if charset:
        return decode(data, charset)
    declared = meta_charset(data[:4096])
    if declared:
        try:
            return decode(data, declared)
        except DecodeError:
            pass  # a page that lies about its charset: fall back to sniffing
    return decode(data)


def meta_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta charset>, http-equiv, <?xml?>)."""
    s = head.decode("latin-1").lower()
    for key in ("charset", "encoding"):
        at = s.find(key)
        while at >= 0:
            i = at + len(key)
            while i < len(s) and s[i] in " \t\r\n":
                i += 1
            if i < len(s) and s[i] == "=":
                i += 1
                while i < len(s) and s[i] in " \t\r\n\"'":
                    i += 1
                j = i
                while j < len(s) and j - i < 40 and (s[j].isalnum() or s[j] in "-_"):
                    j += 1
                if j > i:
                    return s[i:j]
            at = s.find(key, at + 1)
    return None


def _leaf_tables(root: etree._Element) -> set[etree._Element]:
    """Tables holding no other table: a table's nearest enclosing table is not a leaf."""
    return leaf_tables(etree.iterwalk(root, events=("start", "end"), tag="table"))


def _span(el: etree._Element, name: str, cap: int) -> int:
    raw = (el.get(name) or "").strip()
    digits = ""
    for ch in raw:
        if not ch.isascii() or not ch.isdigit():
            break
        digits += ch
        if len(digits) > 6:
            break
    if not digits:
        return 1
    n = int(digits)
    if n == 0:  # rowspan="0": to the end of the table
        return cap
    return min(n, cap)


def _hidden(el: etree._Element) -> bool:
    style = el.get("style")
    if not style or len(style) > 2000:
        return False
    s = "".join(style.lower().split())
    return "display:none" in s or "visibility:hidden" in s


def _wide(ch: str) -> bool:
    """A CJK or full-width character: no space is needed (or wanted) next to one."""
    return ch >= "\u2e80"


def collapse(text: str) -> str:
    """HTML white-space collapsing, CJK-aware: a run of white space becomes one space, or
    nothing where it holds a line break between two wide characters (Word's HTML wraps its
    source lines in the middle of Chinese words)."""
    out: list[str] = []
    space = newline = False
    for ch in text:
        if ch in " \t\n\r\f":
            space = True
            newline = newline or ch == "\n"
            continue
        if space:
            if out and not (newline and _wide(out[-1]) and _wide(ch)):
                out.append(" ")
            space = newline = False
        out.append(ch)
    return "".join(out)


def join_parts(parts: list[str]) -> str:
    """Join the lines of a cell: no space between two wide characters, one otherwise."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not (_wide(out[-1]) and _wide(p[0])):
            out += " "
        out += p
    return out


class _Table:
    __slots__ = ("index", "rows", "occupied")

    def __init__(self, index: int):
        self.index = index
        self.rows = 0
        # grid column → last row index (1-based) a rowspan from above still covers
        self.occupied: dict[int, int] = {}


class _Row:
    __slots__ = ("block", "col", "count")

    def __init__(self, block: Block):
        self.block = block
        self.col = 0  # next free grid column
        self.count = 0  # cell elements seen in the markup


class _Walker:
    def __init__(self, leaves: set[etree._Element]):
        self.leaves = leaves
        self.blocks: list[Block] = []
        self.tables: list[_Table | None] = []  # open tables, None for layout tables
        self.leaf_count = 0
        self.row: _Row | None = None
        self.cell: etree._Element | None = None
        self.cell_parts: list[str] = []  # finished lines of the open cell
        self.cell_buf: list[str] = []  # the open line of the open cell
        self.para: list[str] = []
        self.para_line = 0
        self.line = 1
        self.skip = 0

    # ------------------------------------------------------------------ text

    def _text(self, text: str | None, line: int | None) -> None:
        if not text or self.skip:
            return
        if line:
            self.line = line
        if self.cell is not None:
            self.cell_buf.append(text)
            return
        if not self.para:
            self.para_line = self.line
        self.para.append(text)

    def _flush_para(self) -> None:
        if self.para:
            s = collapse("".join(self.para)).strip()
            if s:
                self.blocks.append(Block(self.para_line, text=s))
            self.para = []

    def _cell_break(self) -> None:
        self.cell_parts.append(collapse("".join(self.cell_buf)))
        self.cell_buf = []

    # ------------------------------------------------------------------ cells and rows

    def _leaf(self) -> _Table | None:
        return self.tables[-1] if self.tables else None

    def _start_row(self, el: etree._Element) -> None:
        table = self._leaf()
        assert table is not None
        table.rows += 1
        self.row = _Row(Block(el.sourceline or self.line, cells=[]))

    def _end_row(self) -> None:
        row, self.row = self.row, None
        if row is not None and row.block.cells:
            self.blocks.append(row.block)

    def _pad(self, cells: list[Cell], line: int) -> None:
        cells.append(Cell("", line))

    def _end_cell(self, el: etree._Element) -> None:
        self._cell_break()
        text = join_parts(self.cell_parts)
        self.cell, self.cell_parts, self.cell_buf = None, [], []
        table, row = self._leaf(), self.row
        if table is None or row is None:
            return
        cells = row.block.cells
        assert cells is not None
        line = el.sourceline or row.block.line
        r = table.rows
        occ = table.occupied
        # Grid positions still covered by a rowspan from a row above come first.
        while row.col < MAX_GRID and occ.get(row.col, 0) >= r:
            self._pad(cells, line)
            row.col += 1
        row.count += 1
        cells.append(Cell(text, line, ref=f"T{table.index}R{r}C{row.count}"))
        colspan = _span(el, "colspan", _MAX_COLSPAN)
        rowspan = _span(el, "rowspan", _MAX_ROWSPAN)
        if rowspan > 1:
            for c in range(row.col, min(row.col + colspan, MAX_GRID)):
                occ[c] = r + rowspan - 1
        for _ in range(min(colspan, MAX_GRID - row.col) - 1):
            self._pad(cells, line)
        row.col += colspan

    # ------------------------------------------------------------------ the walk

    def walk(self, root: etree._Element, line_count: int) -> Document:
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            tag = tag.lower()
            if event == "start":
                self._start(el, tag)
            else:
                self._end(el, tag)
        self._flush_para()
        return Document(blocks=self.blocks, layout="html", line_count=line_count)

    def _start(self, el: etree._Element, tag: str) -> None:
        if self.skip or tag in _SKIP or _hidden(el):
            self.skip += 1
            return
        if el.sourceline:
            self.line = el.sourceline
        in_cell = self.cell is not None
        if tag == "table":
            if in_cell:
                return  # cannot happen for a leaf table's cell; layout cells are not cells
            self._flush_para()
            if el in self.leaves:
                self.leaf_count += 1
                self.tables.append(_Table(self.leaf_count))
            else:
                self.tables.append(None)
        elif tag == "tr" and not in_cell and self._leaf() is not None:
            self._flush_para()
            self._end_row()
            self._start_row(el)
        elif tag in ("td", "th") and not in_cell and self.row is not None:
            self._flush_para()
            self.cell = el
        elif tag in _BLOCK:
            if in_cell:
                self._cell_break()
            else:
                self._flush_para()
        self._text(el.text, el.sourceline)

    def _end(self, el: etree._Element, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            if self.skip:
                return
        else:
            if el is self.cell:
                self._end_cell(el)
            elif tag == "tr" and self.cell is None and self._leaf() is not None:
                self._end_row()
            elif tag == "table" and self.cell is None:
                self._end_row()
                if self.tables:
                    self.tables.pop()
                self._flush_para()
            elif tag in _BLOCK:
                if self.cell is not None:
                    self._cell_break()
                else:
                    self._flush_para()
        self._text(el.tail, None)
