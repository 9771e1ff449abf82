"""表三 (收到和处理政府信息公开申请情况): one table for both templates (the rows only one of
them prints say so), its cross-checks, and the eight-column variant with a 小计 column."""

from __future__ import annotations

from collections.abc import Callable

from service.domain.template.model import OUTCOME, Check, Column, Group, RowDef, TableDef, grouped

KEY = "applications"
_CORPORATE = "法人或其他组织"

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业", group=_CORPORATE),
    Column("research", "科研机构", group=_CORPORATE),
    Column("social_welfare", "社会公益组织", group=_CORPORATE),
    Column("legal_services", "法律服务机构", group=_CORPORATE),
    Column("other", "其他", group=_CORPORATE),
)
APP_COLUMNS: tuple[Column, ...] = (*APPLICANT_COLUMNS, Column("total", "总计"))
_APPLICANTS = tuple(c.key for c in APPLICANT_COLUMNS)


Make = Callable[..., RowDef]


def _grouped_outcomes(outcome: Make) -> tuple[tuple[Group, tuple[RowDef, ...]], ...]:
    """The outcome groups （三） to （六）, each with its rows."""
    denied, denied_rows = grouped(Group("不予公开", (), "（三）"), (
        outcome("denied.state_secret", "1.", "属于国家秘密"),
        outcome("denied.prohibited_by_law", "2.", "其他法律行政法规禁止公开",
                "其他法律法规禁止公开", "法律行政法规禁止公开"),
        outcome("denied.endangers_safety", "3.", "危及“三安全一稳定”", "危及三安全一稳定"),
        outcome("denied.third_party_rights", "4.", "保护第三方合法权益"),
        outcome("denied.internal_affairs", "5.", "属于三类内部事务信息"),
        outcome("denied.process_information", "6.", "属于四类过程性信息"),
        outcome("denied.enforcement_files", "7.", "属于行政执法案卷"),
        outcome("denied.inquiry_matters", "8.", "属于行政查询事项"),
    ))
    unavailable, unavailable_rows = grouped(Group("无法提供", (), "（四）"), (
        outcome("unavailable.not_held", "1.", "本机关不掌握相关政府信息"),
        outcome("unavailable.needs_creation", "2.", "没有现成信息需要另行制作"),
        outcome("unavailable.unclear_after_correction", "3.", "补正后申请内容仍不明确"),
    ))
    not_processed, not_processed_rows = grouped(Group("不予处理", (), "（五）"), (
        outcome("not_processed.complaint", "1.", "信访举报投诉类申请"),
        outcome("not_processed.duplicate", "2.", "重复申请"),
        outcome("not_processed.publication", "3.", "要求提供公开出版物"),
        outcome("not_processed.excessive", "4.", "无正当理由大量反复申请"),
        outcome("not_processed.confirmation", "5.", "要求行政机关确认或重新出具已获取信息"),
    ))
    other, other_rows = grouped(Group("其他处理", (), "（六）"), (
        outcome("other.no_correction", "1.",
                "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", only="2021"),
        outcome("other.fee_unpaid", "2.",
                "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", only="2021"),
        outcome("other.other", "3.", "其他", needs_context=True, only="2021"),
    ))
    return (denied, denied_rows), (unavailable, unavailable_rows), (not_processed, not_processed_rows), (other, other_rows)


def _rows(columns: tuple[Column, ...]) -> tuple[tuple[RowDef, ...], tuple[Group, ...]]:
    """The rows of 表三 with `columns`, and the groups they sit in."""

    def row(key: str, number: str, label: str, *aliases: str, **kw: object) -> RowDef:
        return RowDef(key, label, columns, tuple(aliases), number=number, **kw)  # type: ignore[arg-type]  # the row flags (outcome, needs_context …) pass through **kw, typed object here

    def outcome(key: str, number: str, label: str, *aliases: str, **kw: object) -> RowDef:
        return row(key, number, label, *aliases, outcome=True, **kw)

    groups = _grouped_outcomes(outcome)
    other = groups[-1][0]
    results, result_rows = grouped(Group("本年度办理结果", (), "三、", outer=True), (
        outcome("granted", "（一）", "予以公开"),
        outcome("partially_granted", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）",
                "部分公开", printed="（二）部分公开"),
        *(r for _, rows in groups for r in rows),
        # Template 2019's single row; in a 2021 report it stands for the three rows above.
        outcome("other", "（六）", "其他处理", only="2019", variant_of=other.rows),
        row("total", "（七）", "总计", needs_context=True),
    ))
    rows = (
        row("new_received", "一、", "本年新收政府信息公开申请数量"),
        row("carried_over", "二、", "上年结转政府信息公开申请数量"),
        *result_rows,
        row("carried_forward", "四、", "结转下年度继续办理"),
    )
    return rows, (results, *(g for g, _ in groups))


_CHECKS = (
    Check("row-total-mismatch", "row", ("total",), _APPLICANTS, at="total", name="「{row}」行合计"),
    Check(
        "balance-mismatch", "column", ("new_received", "carried_over"), ("total", "carried_forward"),
        at=None, near="carried_forward", name="「{column}」列勾稽关系", expected="left",
    ),
    Check("outcome-total-mismatch", "column", ("total",), OUTCOME, at="total", name="「{column}」列办理结果总计"),
)
_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"

_ROWS, _GROUPS = _rows(APP_COLUMNS)
APPLICATIONS = TableDef(
    KEY,
    section=KEY,
    short="表三",
    name="表三（收到和处理政府信息公开申请情况）",
    layout="nested",
    rows=_ROWS,
    columns=APP_COLUMNS,
    groups=_GROUPS,
    checks=_CHECKS,
    caption="申请人情况",
    note=_NOTE,
)

# Some reports add a 小计 column after the five 法人或其他组织 columns (eight value columns).
# Declared so that its reading and its check are data: the pipeline reads 表三 by it when the
# table's header prints 小计 (`pipeline.read_tables`, `template.WITH_SUBTOTAL`), and its check is
# reported by the rule `row-subtotal-mismatch` (rules/arithmetic.py).
_CORPORATE_KEYS = tuple(c.key for c in APPLICANT_COLUMNS if c.group == _CORPORATE)
SUBTOTAL_COLUMNS: tuple[Column, ...] = (
    *APPLICANT_COLUMNS, Column("subtotal", "小计", group=_CORPORATE), Column("total", "总计"),
)
_SUBTOTAL_ROWS, _SUBTOTAL_GROUPS = _rows(SUBTOTAL_COLUMNS)
APPLICATIONS_WITH_SUBTOTAL = TableDef(
    KEY,
    section=KEY,
    short="表三",
    name="表三（收到和处理政府信息公开申请情况）",
    layout="nested",
    rows=_SUBTOTAL_ROWS,
    columns=SUBTOTAL_COLUMNS,
    groups=_SUBTOTAL_GROUPS,
    checks=(
        *_CHECKS,
        Check("row-subtotal-mismatch", "row", ("subtotal",), _CORPORATE_KEYS, at="subtotal",
              name="「{row}」行小计"),
    ),
    caption="申请人情况",
    note=_NOTE,
)
