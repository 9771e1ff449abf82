"""Word (.docx) to blocks: the document's own paragraphs and table cells.

A .docx is a zip archive; the text is `word/document.xml`. The archive is opened with bounds
checked before anything is unpacked (member count, unpacked size read in chunks, not trusted
from the directory, and compression ratio), so a zip bomb is refused, not inflated. The XML
is parsed by lxml without entity expansion or network access and walked iteratively.

* `w:p` outside tables is a paragraph (a `w:br` inside it starts a new one);
* each `w:tr` of a leaf table (one holding no other table) is a row block, each `w:tc` a
  cell; a horizontal merge (`w:gridSpan`) is followed by empty cells for the columns it
  covers, a vertical merge continuation (`w:vMerge` without `restart`) is the empty cell Word
  stores for it, and `w:gridBefore` puts empty cells before a row's first cell;
* tables that hold tables are page layout: their cells are boxes of paragraphs;
* deleted revisions, field instructions and the fallback copies of text boxes are skipped.

Cells carry ``ref`` "T<t>R<r>C<c>" (t-th leaf table, r-th `w:tr`, c-th `w:tc`, 1-based, as
stored). A .docx has no lines: ``line`` is the block's 1-based position in the document.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from service.domain.document import Block, Cell, Document
from service.domain.formats.errors import DocumentError
from service.domain.formats.tree import leaf_tables
from service.domain.formats.html import join_parts
from service.domain.normalize import normalize_text

# Bounds on what a .docx may unpack to. A 5 MiB upload of real Word XML unpacks to at most
# a few tens of MiB; anything beyond is a bomb or not a report.
MAX_MEMBERS = 2000
MAX_DOCUMENT_XML = 64 * 1024 * 1024
MAX_RATIO = 200  # unpacked/packed for document.xml, checked once it passes 1 MiB
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024
# Merged-cell padding stops at this grid width (see formats.html.MAX_GRID).
MAX_GRID = 40

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict OOXML
)
_SKIP = frozenset({"del", "delText", "instrText", "Fallback", "rPr", "pPr", "sectPr",
                   "tblPr", "tblGrid", "footnoteReference", "commentReference"})


def unpack_document_xml(data: bytes) -> bytes:
    """`word/document.xml` of a .docx, within the bounds above."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError("corrupt", "the file is not a complete zip archive (truncated or damaged .docx)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise DocumentError("too-large", f"the archive has more than {MAX_MEMBERS} members")
        info = next((i for i in infos if i.filename == "word/document.xml"), None)
        if info is None:
            raise DocumentError("unrecognised", "the archive has no word/document.xml: not a Word document")
        if info.flag_bits & 0x1:
            raise DocumentError("encrypted", "the Word document is encrypted")
        out = bytearray()
        try:
            with archive.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > MAX_DOCUMENT_XML:
                        raise DocumentError(
                            "too-large", f"word/document.xml unpacks to more than {MAX_DOCUMENT_XML} bytes"
                        )
                    if len(out) > _RATIO_FLOOR and len(out) > MAX_RATIO * max(info.compress_size, 1):
                        raise DocumentError("too-large", "word/document.xml is compressed beyond any real document (zip bomb)")
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise DocumentError("corrupt", "word/document.xml cannot be unpacked (damaged or unsupported compression)") from None
    return bytes(out)


def read_docx(data: bytes) -> Document:
    xml = unpack_document_xml(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError:
        raise DocumentError("corrupt", "word/document.xml is not well-formed XML") from None
    if root is None:
        raise DocumentError("corrupt", "word/document.xml is empty")
    return _Walker(_leaf_tables(root)).walk(root)


def _local(el: etree._Element) -> tuple[str, str]:
    tag = el.tag
    if not isinstance(tag, str):
        return "", ""
    if tag[:1] == "{":
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _is_w(el: etree._Element, name: str) -> bool:
    ns, local = _local(el)
    return local == name and ns in _W_NAMESPACES


def _leaf_tables(root: etree._Element) -> set[etree._Element]:
    """Tables holding no other table (a table nested in a cell is read, its holder is not)."""
    walk = etree.iterwalk(root, events=("start", "end"))
    return leaf_tables((event, el) for event, el in walk if _is_w(el, "tbl"))


def _val(el: etree._Element) -> str | None:
    for key, value in el.attrib.items():
        if key.endswith("}val") or key == "val":
            return str(value)
    return None


def _int_val(el: etree._Element, cap: int) -> int:
    v = (_val(el) or "").strip()
    if not v.isascii() or not v.isdigit() or len(v) > 6:
        return 1
    return max(1, min(int(v), cap))


class _Walker:
    def __init__(self, leaves: set[etree._Element]):
        self.leaves = leaves
        self.blocks: list[Block] = []
        self.tables: list[list[int] | None] = []  # open tables: [index, rows] or None (layout)
        self.leaf_count = 0
        self.row: Block | None = None
        self.row_cells = 0  # w:tc seen in the open row
        self.row_col = 0  # grid columns used in the open row
        self.cell: etree._Element | None = None
        self.cell_span = 1
        self.cell_parts: list[str] = []
        self.text: list[str] = []  # the open paragraph, or the open line of the open cell
        self.skip = 0

    def _line(self) -> int:
        return len(self.blocks) + 1

    def _break(self) -> None:
        """End the open paragraph (or line of a cell)."""
        s = "".join(self.text).strip()
        self.text = []
        if self.cell is not None:
            self.cell_parts.append(s)
        elif s:
            self.blocks.append(Block(self._line(), text=normalize_text(s)))

    def _pad(self, n: int) -> None:
        assert self.row is not None and self.row.cells is not None
        for _ in range(max(0, min(n, MAX_GRID - self.row_col))):
            self.row.cells.append(Cell("", self.row.line))
            self.row_col += 1

    def walk(self, root: etree._Element) -> Document:
        for event, el in etree.iterwalk(root, events=("start", "end")):
            ns, name = _local(el)
            if ns not in _W_NAMESPACES and name != "Fallback":
                continue
            if event == "start":
                self._start(el, name)
            else:
                self._end(el, name)
        self._break()
        return Document(blocks=self.blocks, layout="docx", line_count=len(self.blocks))

    def _start(self, el: etree._Element, name: str) -> None:
        if self.skip or name in _SKIP:
            self.skip += 1
            return
        table = self.tables[-1] if self.tables else None
        if name == "tbl":
            self._break()
            if el in self.leaves:
                self.leaf_count += 1
                self.tables.append([self.leaf_count, 0])
            else:
                self.tables.append(None)
        elif name == "tr" and table is not None:
            table[1] += 1
            self.row = Block(self._line(), cells=[])
            self.row_cells = self.row_col = 0
        elif name == "tc" and table is not None and self.row is not None:
            self.cell, self.cell_span, self.cell_parts, self.text = el, 1, [], []
        elif name == "gridBefore" and self.row is not None:
            self._pad(_int_val(el, MAX_GRID))
        elif name == "gridSpan" and self.cell is not None:
            self.cell_span = _int_val(el, MAX_GRID)
        elif name == "t":
            self.text.append(el.text or "")
        elif name == "tab":
            self.text.append(" ")
        elif name in ("br", "cr"):
            self._break()

    def _end(self, el: etree._Element, name: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if name == "p":
            self._break()
        elif el is self.cell and self.row is not None and self.row.cells is not None:
            self._break()
            table = self.tables[-1]
            assert table is not None
            self.row_cells += 1
            text = normalize_text(join_parts(self.cell_parts))
            self.row.cells.append(Cell(text, self.row.line, ref=f"T{table[0]}R{table[1]}C{self.row_cells}"))
            self.row_col += 1
            self._pad(self.cell_span - 1)
            self.cell, self.cell_parts = None, []
        elif name == "tr" and self.row is not None and self.cell is None:
            if self.row.cells:
                self.blocks.append(self.row)
            self.row = None
        elif name == "tbl" and self.cell is None:
            if self.tables:
                self.tables.pop()
