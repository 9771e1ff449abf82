"""Table rows that a PDF text extraction took apart, put back together before they are read.

pdfplumber's `page.extract_text()` groups characters into lines by their height on the page,
so a table row whose label wraps inside its cell does not come out as one line:

* the row's numbers sit at the height of the label's middle, so they come on a line of their
  own BETWEEN the label's parts (``（二）部分公开（…只计这一情 形，不`` / ``4 0 0 0 0 0 4`` /
  ``计其他情形）``), or, when the numbers print a little higher than a one-line label, on the
  line BEFORE it (``1 0 0 0 0 0 1`` / ``1.属于国家秘密``);
* a vertical merged cell (三、本年度办理结果, one character per line) has its characters
  glued to the start of whatever line is at their height (``度 4.保护第三方合法权益 0 …``) or
  standing alone (``、``);
* the page footer (``- 3 -``) comes as a line of its own, or glued before the next page's
  first line when the page break was lost.

`reflow` repairs a table region's paragraph blocks before the table reader cuts them into
cells: footers and stray characters of vertical labels go, and a line of numbers alone is
given to the label it belongs to. Which label that is follows from the template's row labels
and the line structure only: numbers between a label and a line that continues it (the
joined label matches a template label better than the first part alone) belong to that
label; otherwise numbers before a line that starts a row belong to that row, unless the
label before them is still waiting for numbers and the row after it has its own numbers on
the following line (then the layout puts numbers after labels, which the reader handles).

Rows of cells (tab, pipe, HTML, Word, PDF tables) pass through untouched. One pass over the
blocks with a lookahead of two; each line is matched against the labels at most a few times.
"""

from __future__ import annotations

import functools

from service.domain.cells import is_value_like, value_run_start
from service.domain.document import Block, Cell
from service.domain.labels import CN_NUMERALS, MAX_LABEL, LabelIndex, split_enumerator
from service.domain.normalize import fold
from service.domain.template import TEMPLATES, TableDef
from service.domain.textcache import TextMemo

_DASHES = "-—–－"


def _labelled_tables() -> tuple[TableDef, ...]:
    """The tables read by label, of both templates, each once: 表二 (2021, 2019), then 表三."""
    tables = dict.fromkeys(t for tpl in TEMPLATES.values() for t in tpl.tables if t.layout != "grid")
    return tuple(sorted(tables, key=lambda t: t.layout != "grouped"))


def _glued_groups() -> tuple[str, ...]:
    return tuple(dict.fromkeys(g.name for t in _labelled_tables() for g in t.groups if g.glued))


# The characters a vertical merged cell of 表三 scatters over the lines: its printed label
# 三、本年度办理结果 and the group cells（三）不予公开 … (enumerator characters included).
_VERTICAL_CHARS = frozenset("".join(_glued_groups()) + CN_NUMERALS + "、（）()")


@functools.cache
def _labels() -> LabelIndex[str]:
    """The row labels of the tables read by label (表二 and 表三, both templates)."""
    rows = (r for t in _labelled_tables() for r in t.rows)
    return LabelIndex((r.key, fold(x)) for r in rows for x in (r.label, *r.aliases))


@functools.cache
def _in_context() -> frozenset[str]:
    """Rows whose bare label is also a column header (总计, 其他): rows only when numbered."""
    return frozenset(r.key for t in _labelled_tables() if t.layout == "nested" for r in t.rows if r.needs_context)


# The group names a row label can be glued after (a single `startswith` rules them all out).
_LONG_GROUPS = tuple(g for g in _glued_groups() if len(g) >= 4)


def _strip_group(rest: str) -> str:
    """本机关不掌握… of 无法提供1.本机关不掌握… (before folding, which drops the 1.'s dot)."""
    if rest.startswith(_LONG_GROUPS):
        for g in _LONG_GROUPS:
            if rest.startswith(g):
                return split_enumerator(rest[len(g) :])[1]
    return rest


def _is_group_heading(text: str) -> bool:
    """（四）无法提供 alone: a heading of rows, never a row of its own numbers' owner."""
    rest = split_enumerator(text)[1]
    return bool(rest) and not _strip_group(rest)


# A line is scored as label, as head and as target; the memo keeps short lines only (a line
# of PDF text can be as long as the body).
@TextMemo
def _score(text: str) -> float:
    """How well the line starts a template row: its best label score, 0 for none."""
    enum, rest = split_enumerator(text)
    # A group heading alone scores as itself: 其他处理 is 2019's row of that name.
    scores = _labels().scores(fold(_strip_group(rest) or rest))
    if enum is None:
        scores = {k: s for k, s in scores.items() if k not in _in_context()}
    return max(scores.values(), default=0.0)


def _page_marker_end(s: str) -> int:
    """Length of a leading page footer ``- 3 -`` / ``—3—`` in `s`, else 0."""
    if not s or s[0] not in _DASHES:
        return 0
    i = 1
    while i < len(s) and s[i] == " ":
        i += 1
    j = i
    while j < len(s) and j - i < 3 and "0" <= s[j] <= "9":
        j += 1
    if j == i:
        return 0
    while j < len(s) and s[j] == " ":
        j += 1
    if j < len(s) and s[j] == s[0]:
        return j + 1
    return 0


def _is_page_footer(s: str) -> bool:
    """A whole line that is a page footer: ``- 3 -``, ``— 3 —``, ``第 3 页``, ``第3页 共6页``."""
    if _page_marker_end(s) == len(s):
        return True
    if "页" not in s:  # one C search rules out the 第 3 页 forms for almost every line
        return False
    compact = "".join(s.split())
    if not (compact.startswith("第") and compact.endswith("页")):
        return False
    digits = compact.replace("第", "").replace("页", "").replace("共", "")
    return 0 < len(digits) <= 6 and digits.isascii() and digits.isdigit()


def _clean(text: str) -> str:
    """The line without a glued page footer and stray characters of a vertical label."""
    end = _page_marker_end(text)
    if end:
        rest = text[end:].strip()
        if rest and not all(is_value_like(t) for t in rest.split()):
            text = rest
    if len(text) == 1 and text in _VERTICAL_CHARS:
        return ""
    # 度 4.保护第三方合法权益 0 0 …, 、 0 0 0 …: one character of a vertical cell before a
    # numbered label or a line of numbers (a single character is never a label of its own).
    if len(text) > 2 and text[1] == " " and text[0] in _VERTICAL_CHARS:
        rest = text[2:].lstrip()
        if split_enumerator(rest)[0] is not None or all(is_value_like(t) for t in rest.split()):
            return rest
    return text


class _Line:
    """A paragraph of a table region, cut into its label and its trailing numbers."""

    __slots__ = ("block", "changed", "label", "value_line", "values")

    def __init__(self, block: Block, text: str):
        tokens = text.split()
        k = value_run_start(tokens)
        self.block = block
        self.label = " ".join(tokens[:k])
        self.values = tokens[k:]
        self.value_line = block.line
        self.changed = text != block.text

    @property
    def numbers_only(self) -> bool:
        return not self.label and bool(self.values)

    @property
    def label_only(self) -> bool:
        return bool(self.label) and not self.values

    def to_block(self) -> Block:
        b = self.block
        if not self.changed:
            return b
        if self.value_line == b.line:
            return Block(
                b.line, text=" ".join(filter(None, (self.label, *self.values))), page=b.page
            )
        # Label and numbers from different lines: each cell keeps the line it came from.
        cells = [Cell(self.label, b.line, b.page, from_text=True)] if self.label else []
        cells += [Cell(t, self.value_line, b.page, from_text=True) for t in self.values]
        return Block(b.line, cells=cells, page=b.page)


def _give(target: _Line, numbers: _Line) -> None:
    target.values = numbers.values
    target.value_line = numbers.block.line
    target.changed = True


def _has_paragraph(blocks: list[Block]) -> bool:
    # A plain loop: a third of the instructions of `all(...)` over a generator.
    for b in blocks:
        if b.cells is None:
            return True
    return False


def reflow(blocks: list[Block]) -> list[Block]:
    """The blocks of a table region with PDF-text rows put back together (see module doc)."""
    if not _has_paragraph(blocks):  # nothing to repair
        return blocks
    items: list[_Line | Block] = []
    for b in blocks:
        if b.cells is not None:
            items.append(b)
            continue
        if _is_page_footer(b.text):
            continue
        text = _clean(b.text)
        if text:
            items.append(_Line(b, text))
    return [x if isinstance(x, Block) else x.to_block() for x in _Reflow(items).run()]


def _label_only(item: _Line | Block | None) -> _Line | None:
    """The item as a line holding a label alone, not a group heading; else None."""
    if isinstance(item, _Line) and item.label_only and not _is_group_heading(item.label):
        return item
    return None


class _Reflow:
    """One pass over a region's lines, giving each line of numbers alone to its label."""

    def __init__(self, items: list[_Line | Block]):
        self.items = items
        self.out: list[_Line | Block] = []
        # The label-only lines since the last line with numbers or heading: their joined
        # text, and whether it starts a template row (a row still waiting for its numbers).
        self.run_label = ""
        self.run_open = False

    def run(self) -> list[_Line | Block]:
        i, n = 0, len(self.items)
        while i < n:
            item = self.items[i]
            if isinstance(item, _Line) and item.label_only:
                self._label(item)
                i += 1
            elif isinstance(item, _Line) and item.numbers_only:
                i = self._numbers(i)
            else:  # a row of cells, or a line with a label and its numbers
                self._keep(item)
                i += 1
        return self.out

    def _keep(self, item: _Line | Block) -> None:
        self.out.append(item)
        self.run_label, self.run_open = "", False

    def _label(self, item: _Line) -> None:
        if _is_group_heading(item.label):
            self.run_label, self.run_open = "", False
        else:
            # Bounded: a label longer than any template label matches none anyway.
            self.run_label = self.run_label + item.label if len(self.run_label) <= MAX_LABEL else item.label
            self.run_open = self.run_open or _score(item.label) > 0
        self.out.append(item)

    def _numbers(self, i: int) -> int:
        """A line of numbers alone, at `i`: given to the label it sits inside, or to the row
        label after it, or kept as it is. Returns the index of the next line to look at."""
        item = self.items[i]
        assert isinstance(item, _Line)
        following = self._item(i + 1)
        if self._between_parts(item, _label_only(following)):
            return i + 2
        taken = self._before_label(item, i, following)
        if taken is not None:
            return taken
        self._keep(item)
        return i + 1

    def _item(self, i: int) -> _Line | Block | None:
        return self.items[i] if i < len(self.items) else None

    def _between_parts(self, item: _Line, nxt_label: _Line | None) -> bool:
        """Numbers between the parts of one label: 部分公开…情 形，不 / 4 0 … / 计其他情形）.
        The label so far may be too short to match alone (属于 of 属于国家秘密): the joined
        label matching better than either part is what tells."""
        last = self.out[-1] if self.out else None
        if not (isinstance(last, _Line) and last.label_only and nxt_label is not None):
            return False
        head = self.run_label if self.run_label.endswith(last.label) else last.label
        joined = _score(head + nxt_label.label)
        if not (joined > _score(head) and joined > _score(nxt_label.label)):
            return False
        last.label += nxt_label.label
        _give(last, item)
        self.run_label, self.run_open = "", False
        return True

    def _before_label(self, item: _Line, i: int, nxt: _Line | Block | None) -> int | None:
        """Numbers before the label of their row: 1 0 0 0 0 0 1 / 1.属于国家秘密. A group
        heading between them and it (7 0 … / （四）无法提供 / 2.没有现成…) stays where it is;
        a group that is a row itself (2019's （六）其他处理) takes them only when no row label
        follows it. Returns the index after the row's label, or None when not taken."""
        target, at, heading = _label_only(nxt), i + 1, None
        if isinstance(nxt, _Line) and nxt.label_only and _is_group_heading(nxt.label):
            beyond = self._item(i + 2)
            if isinstance(beyond, _Line) and beyond.label_only and _score(beyond.label) > 0:
                target, at, heading = beyond, i + 2, nxt
            elif _score(nxt.label) > 0:
                target = nxt
        if target is None or _score(target.label) <= 0:
            return None
        follower = self._item(at + 1)
        if self.run_open and isinstance(follower, _Line) and follower.numbers_only:
            return None  # the open label's numbers come after it: the reader's layout
        if heading is not None:
            self.out.append(heading)
        _give(target, item)
        j = self._join_continuations(target, at + 1)
        self.out.append(target)
        self.run_label, self.run_open = "", False
        return j

    def _join_continuations(self, label: _Line, j: int) -> int:
        """The label's wrapped continuations from `j` on, joined while they complete it
        better. Returns the index after the last one joined."""
        while j < len(self.items):
            cont = self.items[j]
            if not (isinstance(cont, _Line) and cont.label_only) or _is_group_heading(cont.label):
                break
            if _score(label.label + cont.label) <= _score(label.label):
                break
            label.label += cont.label
            j += 1
        return j
