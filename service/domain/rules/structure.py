"""Structure rules: the six sections, the three tables, their rows, the template, the title.

Each rule carries its passing and failing report fragments (`passing=`, `failing=`),
served by `GET /v1/rules`, printed in the README and run as tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from operator import attrgetter

import msgspec

from service.domain.facts import Facts
from service.domain.models import Issue, Location
from service.domain.models import Location as L
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.fragments import HEADER_2019, HEADER_2021, NEW, T2, T3, T4, applicants, lines, row, sections
from service.domain.rules.checks import System
from service.domain.sections import is_top_level_enumerated
from service.domain.tables import RawTable
from service.domain.template import SECTIONS, RowDef, TableDef, template_of

F = "structure"

SECTION_MISSING = rule(
    "section-missing", "warning", F, "缺少报告部分",
    "The report lacks one of the six parts the template requires "
    "(总体情况 … 其他需要报告的事项); found by title, whatever its numbering.",
    "报告缺少第{number}部分「{title}」。年报格式要求六个部分齐全，请补充该部分（无内容时写明“无”）。",
    passing=(E(sections("一二三四五六")),),
    failing=(E(sections("一二三四五"), at=(L(section="other"),)),),
)
SECTION_ORDER = rule(
    "section-order", "warning", F, "报告部分顺序错误",
    "A part appears after a part the template puts after it.",
    "「{title}」应为报告第{number}部分，但出现在「{after}」之后，请按年报格式调整顺序。",
    passing=(E(sections("一二三四五六")),),
    failing=(E(sections("一二三四六五"), at=(L(section="problems"),)),),
)
SECTION_NUMBERING = rule(
    "section-numbering", "warning", F, "部分编号错误",
    "A part's heading carries a numeral other than the template's (e.g. 三、 for 主动公开政府信息情况).",
    "第{line}行标题「{text}」的编号为「{printed}」，按年报格式应为「{number}、」。",
    passing=(E(sections("一二三四五六")),),
    failing=(E(sections("一二三四五六", {"二": "三"}), at=(L(section="active_disclosure", line=2),)),),
)
SUBHEADING_NUMBERING = rule(
    "subheading-numbering", "warning", F, "小标题使用一级编号",
    "A sub-heading inside a part is numbered 一、二、… like the six parts themselves, which "
    "makes the report's structure ambiguous; sub-headings use （一）（二）….",
    "第{line}行小标题「{text}」使用了与六个部分相同的编号形式「{printed}、」，容易与报告的一级标题混淆，"
    "建议改为「（{printed}）」。",
    passing=(E(lines("一、总体情况", "（一）主动公开情况")),),
    failing=(E(lines("一、总体情况", "一、主动公开情况"), at=(L(section="overview", line=2),)),),
)
TABLE_MISSING = rule(
    "table-missing", "error", F, "缺少统计表",
    "One of the three statistical tables could not be found in the report.",
    "未找到{table}。年报格式要求该表必须列出，请按格式补充完整的表格。",
    passing=(E(lines(T4, row("行政复议", 1, 0, 0, 0, 1), row("未经复议直接起诉", 0, 0, 0, 0, 0)), at=(L(table="reviews_litigation"),)),),
    failing=(E(lines(T4, "本年度无。"), at=(L(table="reviews_litigation"),)),),
)
ROW_MISSING = rule(
    "row-missing", "error", F, "统计表缺少行",
    "A row the template prints in a table is not in the report's table.",
    "{table}缺少「{row}」行，请按年报格式补充该行（无数据时填 0）。",
    passing=(E(lines(T4, row("行政复议", 1, 0, 0, 0, 1), row("未经复议直接起诉", 0, 0, 0, 0, 0), row("复议后起诉", 0, 0, 0, 0, 0))),),
    failing=(E(lines(T4, row("行政复议", 1, 0, 0, 0, 1), row("未经复议直接起诉", 0, 0, 0, 0, 0)), at=(L(table="reviews_litigation", row="litigation_after_review"),)),),
)
ROW_UNKNOWN = rule(
    "row-unknown", "warning", F, "无法识别的表格行",
    "A row with numbers whose label matches no row of the template; its numbers are not read.",
    "{table}第{line}行「{label}」不是年报格式中的行，无法对应到格式中的任何一行，其数字未被读取。",
    passing=(E(lines(T3, applicants(NEW, 1))),),
    failing=(E(lines(T3, applicants(NEW, 1), applicants("9.其他原因不予公开", 1)), at=(L(table="applications", line=3),)),),
)
ROW_DUPLICATE = rule(
    "row-duplicate", "warning", F, "表格行重复",
    "A row of the template is printed again after it was read; the first occurrence's "
    "numbers are used, the repeats are set aside. One finding per row, however often it repeats.",
    "{table}「{row}」行重复出现（第{line}行起，重复 {count} 次），只读取了第一次出现时的数字，请删除重复的行。",
    passing=(E(lines(T3, applicants("2.重复申请", 1))),),
    failing=(E(lines(T3, applicants("2.重复申请", 1), applicants("2.重复申请", 9)), at=(L(table="applications", row="not_processed.duplicate", line=3),)),),
)
ROW_VARIANT = rule(
    "row-variant", "warning", F, "表格行与模板版本不符",
    "A 2021-template report prints （六）其他处理 as the single row of the 2019 template "
    "instead of its three rows; its numbers are read as that single row.",
    "{table}「（六）其他处理」只列了一行（2019年试行格式），2021年格式要求分列"
    "「1.申请人无正当理由逾期不补正…」「2.申请人逾期未按收费通知要求缴纳费用…」「3.其他」三行。",
    passing=(E(lines(T2, HEADER_2019, T3, applicants("（六）其他处理", 1))),),
    failing=(E(lines(T2, HEADER_2021, T3, applicants("（六）其他处理", 1)), at=(L(table="applications", row="other"),)),),
)
TEMPLATE_UNKNOWN = rule(
    "template-unknown", "warning", F, "无法识别年报格式",
    "The tables match neither the 2021 format (国办公开办函〔2021〕30号) nor the 2019 trial "
    "format (〔2019〕60号); the 2021 format is assumed.",
    "无法从表格判断报告采用的年报格式（2021年格式或2019年试行格式），已按2021年格式读取。",
    passing=(E(lines(T2, HEADER_2021, row("规章", 1, 0, 1))),),
    failing=(E(lines(T2, row("规章", 1, 0, 1)), at=(L(table="active_disclosure"),)),),
)
TEMPLATE_OUTDATED = rule(
    "template-outdated", "error", F, "使用已废止的年报格式",
    "A report on 2021 or later uses the 2019 trial format; from the 2021 report on the "
    "format of 国办公开办函〔2021〕30号 applies.",
    "本报告为{year}年度报告，却使用了2019年试行格式（国办公开办函〔2019〕60号）。"
    "2021年度起应使用国办公开办函〔2021〕30号规定的格式。",
    passing=(E(lines("某某局2020年政府信息公开工作年度报告", T2, HEADER_2019)),),
    failing=(E(lines("某某局2022年政府信息公开工作年度报告", T2, HEADER_2019), at=(L(table="active_disclosure"),)),),
)
TEMPLATE_PREMATURE = rule(
    "template-premature", "warning", F, "年报格式早于规定年份使用",
    "A report on 2019 or 2020 uses the 2021 format; those years were reported in the 2019 "
    "trial format.",
    "本报告为{year}年度报告，使用了2021年格式；{year}年度报告应使用2019年试行格式"
    "（国办公开办函〔2019〕60号）。",
    passing=(E(lines("某某局2021年政府信息公开工作年度报告", T2, HEADER_2021)),),
    failing=(E(lines("某某局2020年政府信息公开工作年度报告", T2, HEADER_2021), at=(L(table="active_disclosure"),)),),
)
TITLE_MISSING = rule(
    "title-missing", "warning", F, "缺少报告标题",
    "No line before the first part names the report (…政府信息公开工作年度报告).",
    "未找到报告标题。标题应写明机关名称和年度，如「××局{example}年政府信息公开工作年度报告」。",
    passing=(E(lines("某某局2023年政府信息公开工作年度报告", "一、总体情况")),),
    failing=(E("一、总体情况", at=(L(line=1),)),),
)
TITLE_INCOMPLETE = rule(
    "title-incomplete", "warning", F, "标题缺少机关名称或年度",
    "The title does not name the agency, the year, or either.",
    "报告标题「{title}」缺少{missing}，标题应写明机关名称和年度。",
    passing=(E(lines("某某局2023年政府信息公开工作年度报告", "一、总体情况")),),
    failing=(E(lines("政府信息公开工作年度报告", "一、总体情况"), at=(L(line=1),)),),
)
YEAR_MISSING = rule(
    "year-missing", "warning", F, "无法确定报告年度",
    "Neither the title nor the text says which year the report is on; checks that depend on "
    "the year (the template in force) are skipped.",
    "无法确定报告所述年度，请在标题中写明年度。",
    passing=(E(lines("某某局2023年政府信息公开工作年度报告", "一、总体情况")),),
    failing=(E(lines("某某局政府信息公开工作年度报告", "一、总体情况")),),
)


def check(facts: Facts, system: System) -> Iterator[Issue]:
    """The structure findings (`system`, the cross-checks, is not needed here)."""
    yield from _sections(facts)
    yield from _tables(facts)
    yield from _template_and_title(facts)


def _sections(facts: Facts) -> Iterator[Issue]:
    found = {h.key: h for h in facts.headings}
    for sec in SECTIONS:
        if sec.key not in found:
            yield SECTION_MISSING.issue(
                Location(section=sec.key), number=sec.number, title=sec.title  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            )
    highest = -1
    last_title = ""
    for h in facts.headings:
        if h.index < highest:
            yield SECTION_ORDER.issue(
                Location(section=h.key, line=h.line),  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
                title=SECTIONS[h.index].title,
                number=SECTIONS[h.index].number,
                after=last_title,
            )
        else:
            highest, last_title = h.index, SECTIONS[h.index].title
        expected = SECTIONS[h.index].number
        if h.number is not None and h.number != expected:
            yield SECTION_NUMBERING.issue(
                Location(section=h.key, line=h.line),  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
                line=h.line, text=h.title, printed=h.number, number=expected,
            )
    # Sub-headings numbered 一、 inside the narrative parts (tables are not scanned).
    spans = facts.spans
    for key in ("overview", "problems", "other"):
        if key not in spans:
            continue
        start, end = spans[key]
        for block in facts.doc.blocks[start:end]:
            if block.cells is not None or len(block.text) > 30:
                continue
            numeral = is_top_level_enumerated(block.text)
            if numeral:
                yield SUBHEADING_NUMBERING.issue(
                    Location(section=key, line=block.line),
                    line=block.line, text=block.text.strip(), printed=numeral,
                )


_KEY = attrgetter("key")


@lru_cache(maxsize=16)  # template data: a few tables, three template names
def _expected_rows(table: TableDef, template: str) -> tuple[tuple[str, str], ...]:
    """The (key, label) of each row a report in `template` prints."""
    return tuple((r.key, r.label) for r in table.rows_of(template))


def _tables(facts: Facts) -> Iterator[Issue]:
    for tdef in template_of(facts.template).tables:
        key = tdef.key
        table = facts.table(key)
        if table is None:
            yield TABLE_MISSING.issue(Location(section=key, table=key), table=tdef.name)  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            continue
        yield from _rows(facts, tdef, table)


def single_variants(template: str, tdef: TableDef, present: set[str]) -> list[RowDef]:
    """The variant rows (the 2019 single （六）其他处理) that a table printing the rows
    `present`, in a report of `template`, shows instead of the rows they stand for: what
    row-variant reports (the narrative rules leave those rows alone)."""
    out: list[RowDef] = []
    present = set(present)
    for variant in (r for r in tdef.rows if r.variant_of):
        if template != variant.only and variant.key in present and not present & set(variant.variant_of):
            out.append(variant)
            present |= set(variant.variant_of)
    return out


def _rows(facts: Facts, tdef: TableDef, table: RawTable) -> Iterator[Issue]:
    key, short = tdef.key, tdef.short
    present = set(map(_KEY, table.rows))
    template = facts.template if facts.template in ("2021", "2019") else "2021"
    expected = _expected_rows(tdef, template)
    for variant in single_variants(facts.template, tdef, present):
        yield ROW_VARIANT.issue(
            Location(section=key, table=key, row=variant.key, line=table.row(variant.key).line),  # type: ignore[union-attr,arg-type]  # the variant row was read, so table.row() finds it; key: a str where models want a Literal
            table=short,
        )
        present |= set(variant.variant_of)
    for row_key, label in expected:
        if row_key not in present:
            yield _unsure_if_unplaced(ROW_MISSING.issue(
                Location(section=key, table=key, row=row_key),  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
                table=short, row=label,
            ), table)
    for dup in table.duplicates:
        yield ROW_DUPLICATE.issue(
            Location(section=key, table=key, row=dup.key, line=dup.line),  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            table=short, row=dict(expected).get(dup.key, dup.key),
            line=dup.line, count=dup.count,
        )
    for unknown in table.unknown:
        yield ROW_UNKNOWN.issue(
            Location(section=key, table=key, line=unknown.line),  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            table=short, line=unknown.line, label=unknown.label,
        )


def _unsure_if_unplaced(issue: Issue, table: RawTable) -> Issue:
    """A row missing from a table that holds rows of numbers the reader could give no row
    (their labels lost in transit) may be among them: a warning, not an error."""
    if not table.unplaced:
        return issue
    lines = "、".join(map(str, table.unplaced[:5]))
    note = f"（表中第{lines}行有未标行名的数字，该行可能在其中，请核对原表。）"
    return msgspec.structs.replace(issue, severity="warning", message=issue.message + note)


def _template_and_title(facts: Facts) -> Iterator[Issue]:
    meta = facts.meta
    any_table = any(facts.table(t.key) for t in template_of(facts.template).tables)
    if facts.template == "unknown" and any_table:
        yield TEMPLATE_UNKNOWN.issue(Location(table="active_disclosure"))
    if meta.year is not None:
        if facts.template == "2019" and meta.year >= 2021:
            yield TEMPLATE_OUTDATED.issue(Location(table="active_disclosure"), year=meta.year)
        elif facts.template == "2021" and meta.year <= 2020:
            yield TEMPLATE_PREMATURE.issue(Location(table="active_disclosure"), year=meta.year)
    else:
        yield YEAR_MISSING.issue(Location())
    if meta.title is None:
        yield TITLE_MISSING.issue(Location(line=1), example=meta.year or "20××")
    else:
        missing = [w for w, ok in (("机关名称", meta.title_has_agency), ("年度", meta.title_has_year)) if not ok]
        if missing:
            yield TITLE_INCOMPLETE.issue(
                Location(line=meta.title_line), title=meta.title, missing="和".join(missing)
            )
