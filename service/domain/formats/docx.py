"""Word (.docx) to blocks: the document's own paragraphs and table cells.

A .docx is a zip archive; the text is `word/document.xml`. It is read as a stream: inflated a
chunk at a time and fed to lxml's pull parser (no entity expansion, no network), each element
emptied once read, and every bound checked as the reader goes: archive members, bytes
inflated (counted, never trusted from the archive's directory) and compression ratio, XML
elements, characters of text, paragraphs and rows, cells. A bomb is refused (422, naming the
bound) after at most its bound of work, and memory stays that of one chunk and the blocks.

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
from collections.abc import Iterator
from typing import IO

from lxml import etree

from service.domain import limits
from service.domain.document import Block, Cell, Document
from service.domain.formats.errors import DocumentError
from service.domain.formats.html import join_parts
from service.domain.normalize import normalize_text

# Bounds on what a .docx may unpack to, each checked as the reader goes (never trusting the
# sizes the archive declares), so a bomb is refused after at most its bound of work. A real
# report's document.xml is a few MiB at most, with some tens of thousands of elements; the
# bounds are ten to a hundred times that.
MAX_MEMBERS = 2000
MAX_DOCUMENT_XML = 32 * 1024 * 1024  # bytes word/document.xml may inflate to
MAX_RATIO = 200  # unpacked/packed for document.xml, checked once it passes 1 MiB
MAX_ELEMENTS = 500_000  # XML elements in document.xml (a real report: some thousands)
MAX_CHARS = 5_000_000  # characters of text the document may hold
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 256 * 1024
# Merged-cell padding stops at this grid width (see formats.html.MAX_GRID).
MAX_GRID = 40

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict OOXML
)
_SKIP = frozenset({"del", "delText", "instrText", "Fallback", "rPr", "pPr", "sectPr",
                   "tblPr", "tblGrid", "footnoteReference", "commentReference"})


def _too_large(what: str) -> DocumentError:
    return DocumentError("too-large", what)


class _BoundedMember:
    """Reads an archive member in chunks, counting what it inflates to as it goes."""

    def __init__(self, member: IO[bytes], packed: int) -> None:
        self.member = member
        self.packed = max(packed, 1)
        self.unpacked = 0

    def chunks(self) -> Iterator[bytes]:
        while chunk := self.member.read(_CHUNK):
            self.unpacked += len(chunk)
            if self.unpacked > MAX_DOCUMENT_XML:
                raise _too_large(f"word/document.xml unpacks to more than {MAX_DOCUMENT_XML:,} bytes")
            if self.unpacked > _RATIO_FLOOR and self.unpacked > MAX_RATIO * self.packed:
                raise _too_large(f"word/document.xml is compressed more than {MAX_RATIO} to 1, "
                                 "beyond any real document (a zip bomb)")
            yield chunk


def _open_archive(data: bytes) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError("corrupt", "the file is not a complete zip archive (truncated or damaged .docx)") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _too_large(f"the archive has more than {MAX_MEMBERS:,} members")
    info = next((i for i in infos if i.filename == "word/document.xml"), None)
    if info is None:
        raise DocumentError("unrecognised", "the archive has no word/document.xml: not a Word document")
    if info.flag_bits & 0x1:
        raise DocumentError("encrypted", "the Word document is encrypted")
    return archive, info


def xml_events(data: bytes) -> Iterator[tuple[str, etree._Element]]:
    """Start and end events of word/document.xml, inflated and parsed a chunk at a time.

    Elements are counted as they start; every element is emptied once its end has been
    handed out (the consumer has read it by then), so memory stays proportional to the
    nesting depth and one chunk, not to the document.
    """
    archive, info = _open_archive(data)
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    elements = 0
    with archive:
        try:
            with archive.open(info) as member:
                for chunk in _BoundedMember(member, info.compress_size).chunks():
                    parser.feed(chunk)
                    for event, el in parser.read_events():
                        elements += event == "start"
                        if elements > MAX_ELEMENTS:
                            raise _too_large(f"word/document.xml has more than {MAX_ELEMENTS:,} XML elements")
                        yield event, el
                        if event == "end":
                            _forget(el)
                parser.close()
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise DocumentError("corrupt", "word/document.xml cannot be unpacked (damaged or unsupported compression)") from None
        except etree.XMLSyntaxError:
            raise DocumentError("corrupt", "word/document.xml is not well-formed XML") from None
    if elements == 0:
        raise DocumentError("corrupt", "word/document.xml is empty")


def _forget(el: etree._Element) -> None:
    """Drop a finished element's content and the finished siblings before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def unpack_document_xml(data: bytes) -> bytes:
    """`word/document.xml` of a .docx, within the byte bounds above (for tools and tests)."""
    archive, info = _open_archive(data)
    with archive:
        try:
            with archive.open(info) as member:
                return b"".join(_BoundedMember(member, info.compress_size).chunks())
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise DocumentError("corrupt", "word/document.xml cannot be unpacked (damaged or unsupported compression)") from None


def prescan(data: bytes) -> None:
    """Inflate document.xml once at C speed, counting its tags, before any element costs a
    Python step: a document past the byte or element bounds is refused in a fraction of a
    second instead of after millions of parser events. (`<` not followed by `/` opens an
    element, a comment, a PI or a declaration: an upper bound on the elements.)"""
    archive, info = _open_archive(data)
    tags = 0
    with archive:
        try:
            with archive.open(info) as member:
                for chunk in _BoundedMember(member, info.compress_size).chunks():
                    tags += chunk.count(b"<") - chunk.count(b"</")
                    if tags > MAX_ELEMENTS:
                        raise _too_large(f"word/document.xml has more than {MAX_ELEMENTS:,} XML elements")
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise DocumentError("corrupt", "word/document.xml cannot be unpacked (damaged or unsupported compression)") from None


def read_docx(data: bytes) -> Document:
    """The document's paragraphs and table rows. After the prescan, two streaming passes:
    the first finds which tables hold no other table (only those are tables of cells), the
    second reads the text."""
    prescan(data)
    leaves = _leaf_tables(xml_events(data))
    return _Walker(leaves).walk(xml_events(data))


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


def _leaf_tables(events: Iterator[tuple[str, etree._Element]]) -> set[int]:
    """Ordinals (1-based, in document order) of the tables that hold no other table."""
    count = 0
    stack: list[int] = []
    inner: set[int] = set()
    for event, el in events:
        if not _is_w(el, "tbl"):
            continue
        if event == "start":
            count += 1
            if stack:
                inner.add(stack[-1])
            stack.append(count)
        elif stack:
            stack.pop()
    return set(range(1, count + 1)) - inner


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
    def __init__(self, leaves: set[int]):
        self.leaves = leaves  # ordinals of the leaf tables (see _leaf_tables)
        self.tables_seen = 0
        self.chars = 0
        self.cells = 0
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
            self._add(Block(self._line(), text=normalize_text(s)))

    def _add(self, block: Block) -> None:
        """Append a block, within the bounds on blocks and cells (limits.py) as it goes."""
        self.blocks.append(block)
        if len(self.blocks) > limits.MAX_LINES:
            raise _too_large(f"the document has more than {limits.MAX_LINES:,} paragraphs and table rows")
        self.cells += len(block.cells or ())
        if self.cells > limits.MAX_CELLS:
            raise _too_large(f"the document has more than {limits.MAX_CELLS:,} table cells")

    def _pad(self, n: int) -> None:
        assert self.row is not None and self.row.cells is not None
        for _ in range(max(0, min(n, MAX_GRID - self.row_col))):
            self.row.cells.append(Cell("", self.row.line))
            self.row_col += 1

    def walk(self, events: Iterator[tuple[str, etree._Element]]) -> Document:
        for event, el in events:
            ns, name = _local(el)
            if ns not in _W_NAMESPACES and name != "Fallback":
                continue
            if event == "start":
                # Counted before any skipping, as _leaf_tables counts: the ordinals agree.
                self.tables_seen += name == "tbl"
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
            if self.tables_seen in self.leaves:
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
        elif name == "tab":
            self.text.append(" ")
        elif name in ("br", "cr"):
            self._break()

    def _end(self, el: etree._Element, name: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if name == "t":
            # At its end, not its start: a streaming parser may not have read the text yet.
            text = el.text or ""
            self.chars += len(text)
            if self.chars > MAX_CHARS:
                raise _too_large(f"the document holds more than {MAX_CHARS:,} characters of text")
            self.text.append(text)
        elif name == "p":
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
                self._add(self.row)
            self.row = None
        elif name == "tbl" and self.cell is None:
            if self.tables:
                self.tables.pop()
