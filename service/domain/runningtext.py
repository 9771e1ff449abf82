"""Running text: a report whose tables a crawler or a "copy text" flattened into paragraphs.

A crawler writes a portal page's text nodes one after another: the whole report may come as
one line, a table's rows run together (`规章 5 2 4 行政规范性文件 6 2 9`, or with no separator
at all, `规章000规范性文件898989`). This pre-pass turns such paragraphs back into the blocks
the readers know, from the template alone, and leaves every other block as it is:

* `split_sections` (before the headings are looked for): a long paragraph holding two or
  more of the six section headings, numbered as the template numbers them, found in template
  order and with text between them (not a table of contents), is cut at them, so the
  headings become paragraphs of their own;
* `table_blocks` (on a table's region): a paragraph in which two or more of the table's row
  labels (with their enumerators: `2.其他法律…`, so `00000002.其他法律` is seven zeros and
  the label) each run straight into their numbers, and the numbers into the next label or a
  heading of the table, is cut at the labels. The digits after a label are the row's cells,
  split by `digitruns` (exact, inferred or ambiguous, never guessed); a column check may
  then settle one open row (`digitruns.pin_by_columns`); what follows the digits (a group
  heading, a header) stays a paragraph. 表四 prints its labels as headers: its cells are the
  run of digits that ends its paragraph. A sentence that names rows (本年制发规章5件) is
  prose, not a table: its numbers run into words.

Linear in the text: each search is `str.find` of one template text from a position that
only moves forward (an item is searched again only once the position has passed its last
hit, and each step consumes an item), and the pre-filter is one scan with an alternation of
literals, which cannot backtrack.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from service.domain.digitruns import Split, pin_by_columns, split_run
from service.domain.document import Block, Cell, Document
from service.domain.template import SECTIONS, TEMPLATES, Check, Column, RowDef, TableDef

# A paragraph at least this long may hold several sections (a heading alone is short).
LONG = 60
_VALUE_CHARS = frozenset("0123456789.-+ ")
_UNITS = ("万元", "元")


def _enum_variants(number: str) -> tuple[str, ...]:
    """An enumerator as reports print it: 1. 1、 1． / （一） (一) / 一、 一． 一."""
    if not number:
        return ("",)
    if number[0] in "（(":
        inner = number.strip("（）()")
        return (f"（{inner}）", f"({inner})")
    stem = number.rstrip(".、．")
    return tuple(f"{stem}{end}" for end in ("、", ".", "．"))


def _forms(number: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """Every printed form of a heading or label, longest first."""
    forms = {f"{e}{label}" for e in _enum_variants(number) for label in labels}
    return tuple(sorted(forms, key=len, reverse=True))


_SECTION_FORMS = tuple(_forms(f"{s.number}、", (s.title, *s.aliases)) for s in SECTIONS)


def _earliest(text: str, forms: tuple[str, ...], start: int) -> tuple[int, int] | None:
    """(start, end) of the earliest occurrence of any form at or after `start`; the longest
    form on a tie (forms come longest first)."""
    best: tuple[int, int] | None = None
    for form in forms:
        at = text.find(form, start)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, at + len(form))
    return best


def _anchors(text: str, forms: list[tuple[str, ...]]) -> list[tuple[int, int, int]]:
    """(item, start, end) of each item found, in template order and in text order: at each
    step the remaining item found earliest wins, and the items it skipped are dropped."""
    found: list[tuple[int, int, int]] = []
    # Each item's earliest occurrence at or after the position it was searched from: still
    # right while it lies at or after `pos`, which only grows.
    cache: dict[int, tuple[int, int] | None] = {}
    pos, first = 0, 0
    while first < len(forms):
        best: tuple[int, int, int] | None = None
        for n in range(first, len(forms)):
            if n not in cache or (cache[n] or (pos, 0))[0] < pos:
                cache[n] = _earliest(text, forms[n], pos)
            hit = cache[n]
            if hit is not None and (best is None or hit[0] < best[1]):
                best = (n, *hit)
        if best is None:
            break
        found.append(best)
        first, pos = best[0] + 1, best[2]
    return found


# ------------------------------------------------------------------ sections


def split_sections(doc: Document) -> Document:
    """The document with long paragraphs cut at the section headings they hold."""
    blocks: list[Block] = []
    changed = False
    for block in doc.blocks:
        parts = _section_parts(block) if block.cells is None and len(block.text) > LONG else None
        if parts is None:
            blocks.append(block)
            continue
        blocks.extend(parts)
        changed = True
    return Document(blocks, doc.layout, doc.line_count) if changed else doc


def _section_parts(block: Block) -> list[Block] | None:
    hits = _anchors(block.text, list(_SECTION_FORMS))
    if len(hits) < 2:
        return None
    # A table of contents on one line (一、总体情况；二、主动公开…) has nothing between them.
    gaps = (block.text[a[2] : b[1]] for a, b in zip(hits, hits[1:], strict=False))
    if not all(any(c.isalnum() for c in gap) for gap in gaps):
        return None
    cuts = [(start, end) for _, start, end in hits]
    return list(_paragraphs(block, cuts))


def _paragraphs(block: Block, cuts: list[tuple[int, int]]) -> Iterator[Block]:
    """The text before, of and after each cut, as paragraphs (blank ones left out)."""
    text, pos = block.text, 0
    for start, end in cuts:
        for piece in (text[pos:start], text[start:end]):
            if piece.strip():
                yield Block(block.line, piece.strip(), None, block.page)
        pos = end
    if text[pos:].strip():
        yield Block(block.line, text[pos:].strip(), None, block.page)


# ------------------------------------------------------------------ tables


def table_blocks(blocks: list[Block], table_key: str) -> list[Block]:
    """The blocks of a table's region with running-text paragraphs made into rows."""
    if not any(b.cells is None for b in blocks):
        return blocks
    table = _table_for(blocks, table_key)
    out: list[Block] = []
    for block in blocks:
        rows = None
        if block.cells is None:
            rows = _grid_rows(block, table) if table.layout == "grid" else _labelled_rows(block, table)
        out.extend(rows if rows is not None else (block,))
    return out


def _table_for(blocks: list[Block], key: str) -> TableDef:
    """The table of the template whose 表二 column labels the region prints more of."""
    old, new = TEMPLATES["2019"], TEMPLATES["2021"]
    if old.table(key) is new.table(key):  # 表三 and 表四: one declaration for both
        return new.table(key)
    text = "".join(b.text for b in blocks if b.cells is None)
    votes = [sum(m in text for m in t.markers) for t in (old, new)]
    return (old if votes[0] > votes[1] else new).table(key)


def _row_forms(row: RowDef) -> tuple[str, ...]:
    """A row's label as printed: with its enumerator, and alone when it is long enough to
    be told apart without it (其他 and 总计 are column headers too)."""
    labels = tuple(sorted((row.label, *row.aliases), key=len, reverse=True))
    if not row.number:
        return labels
    forms = _forms(row.number, labels)
    if row.needs_context:
        return forms
    return (*forms, *(x for x in labels if len(x) >= 4))


@functools.cache  # template data: one per declared table
def _forms_of(table: TableDef) -> dict[str, tuple[str, ...]]:
    return {r.key: _row_forms(r) for r in table.rows}


def _table_forms(text: str, table: TableDef) -> list[tuple[str, ...]]:
    """Each row's forms; none for a row that stands for other rows (2019's （六）其他处理
    for 2021's three) when one of those is printed: its label is then their group heading."""
    forms = _forms_of(table)
    out = [forms[r.key] for r in table.rows]
    for n, r in enumerate(table.rows):
        if r.variant_of and any(_earliest(text, forms[k], 0) for k in r.variant_of if k in forms):
            out[n] = ()
    return out


@functools.cache  # template data: one per declared table
def _any_label(table: TableDef) -> re.Pattern[str]:
    """Any form of any row label: literals only, so the search tries each at each position
    at most once (no backtracking); a paragraph with fewer than two hits holds no rows."""
    forms = sorted({f for fs in _forms_of(table).values() for f in fs}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)))


def _labelled_rows(block: Block, table: TableDef) -> list[Block] | None:
    if len(list(itertools.islice(_any_label(table).finditer(block.text), 2))) < 2:
        return None  # most paragraphs: one PDF line, one label
    forms = _table_forms(block.text, table)
    hits = _anchors(block.text, forms)
    if len(hits) < 2:
        return None
    text = block.text
    parts: list[tuple[RowDef, str, Split | None, str]] = []
    for k, (n, start, end) in enumerate(hits):
        stop = hits[k + 1][1] if k + 1 < len(hits) else len(text)
        run, rest = _value_prefix(text[end:stop])
        row = table.rows[n]
        split = split_run(run, [(row.columns, table.checks)]) if run else None
        parts.append((row, text[start:end], split, rest))
    # A flattened table runs each label straight into its numbers and those into the next
    # label; a sentence that names two rows (本年制发规章5件，行政规范性文件6件) does not.
    if sum(split is not None and _table_text(rest, table) for _, _, split, rest in parts) < 2:
        return None
    runs = {row.key: (row.columns, split) for row, _, split, _ in parts if split is not None}
    runs = pin_by_columns(runs, table.checks, _outcome_rows(table, set(runs)))
    out: list[Block] = []
    head = text[: hits[0][1]].strip()
    if head:
        out.append(Block(block.line, head, None, block.page))
    for row, label, split, rest in parts:
        out.extend(_row(block, label, runs[row.key][1] if split is not None else None, rest))
    return out


def _table_text(rest: str, table: TableDef) -> bool:
    """Whether what follows a row's numbers is the table's own: nothing (the next label),
    or a group heading or header of the table (第二十条第（五）项, （三）不予公开)."""
    return not rest or rest.startswith(_table_heads(table))


@functools.cache  # template data: one per declared table
def _table_heads(table: TableDef) -> tuple[str, ...]:
    heads = {h for g in table.groups for h in (g.heading, g.name)} | set(table.header_labels())
    return tuple(h for h in heads if h)


def _outcome_rows(table: TableDef, keys: set[str]) -> tuple[str, ...]:
    """The outcome rows read, when they are exactly one template's (a sum over outcome rows
    with one missing would pin a wrong reading); else ()."""
    read = {r.key for r in table.rows if r.outcome and r.key in keys}
    for template in TEMPLATES.values():
        rows = template.outcome_rows
        if rows and read == set(rows):
            return rows
    return ()


def _value_prefix(segment: str) -> tuple[str, str]:
    """The digit run a segment starts with (a unit after it kept), and the text after."""
    i = 0
    while i < len(segment) and segment[i] in _VALUE_CHARS:
        i += 1
    for unit in _UNITS:
        if segment.startswith(unit, i):
            i += len(unit)
            break
    return segment[:i].strip(), segment[i:].strip()


def _row(block: Block, label: str, split: Split | None, rest: str) -> Iterator[Block]:
    cells = [Cell(label, block.line, block.page)]
    if split is not None:
        cells.extend(_cells(block, split))
    yield Block(block.line, "", cells, block.page)
    if rest:
        yield Block(block.line, rest, None, block.page)


def _cells(block: Block, split: Split) -> list[Cell]:
    return [Cell(t, block.line, block.page, reading=split.reading, why=split.why) for t in split.texts]


def _grid_rows(block: Block, table: TableDef) -> list[Block] | None:
    """表四: its headers, then one run holding every cell of its rows in template order."""
    text = block.text
    if sum(h in text for h in table.header_labels()) < 2:
        return None
    run_start, run = _last_run(text)
    n = sum(len(r.columns) for r in table.rows)
    # The cells come last, after the headers; a run inside a sentence is not the table.
    if sum(c.isdigit() for c in run) < n or text[run_start + len(run) :].strip():
        return None
    rows: list[tuple[tuple[Column, ...], tuple[Check, ...]]] = [(r.columns, table.checks) for r in table.rows]
    split = split_run(run, rows)
    out = []
    head = text[:run_start].strip()
    if head:
        out.append(Block(block.line, head, None, block.page))
    out.append(Block(block.line, "", _cells(block, split), block.page))
    return out


def _last_run(text: str) -> tuple[int, str]:
    """Where the last run of value characters with a digit starts, and the run (stripped)."""
    end = len(text)
    while end > 0:
        while end > 0 and not text[end - 1].isdigit():
            end -= 1
        start = end
        while start > 0 and text[start - 1] in _VALUE_CHARS:
            start -= 1
        run = text[start:end]
        if run.strip():
            lead = len(run) - len(run.lstrip())
            return start + lead, run.strip()
        end = start
    return 0, ""
