"""The two official report templates, as data.

Everything the parser knows about a report's shape lives here: the six section titles, the
rows of the three tables with their printed labels and accepted variants, and each row's
columns. Keys follow `shared/spec/tables.md`; the labels follow 国办公开办函〔2021〕30号 and
the trial format of 国办公开办函〔2019〕60号.
"""

from __future__ import annotations

from typing import Literal

import msgspec

ColumnKind = Literal["count", "signed", "amount"]
TemplateId = Literal["2021", "2019"]


class Column(msgspec.Struct, frozen=True):
    key: str
    label: str
    kind: ColumnKind = "count"


class RowDef(msgspec.Struct, frozen=True):
    key: str
    label: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    # The group heading the row sits under in table 2 (（三）不予公开 …), used to tell
    # apart leaf labels that repeat across groups, such as 3.其他 and 3.补正后….
    group: str | None = None
    # Labels so short or common (其他, 总计) that they are only taken as this row when the
    # row before it, or its group heading, has just been read.
    needs_context: bool = False
    # In template 2021 the 2019 single row 其他处理 is a known variant, not an unknown row.
    variant_of: tuple[str, ...] = ()


class SectionDef(msgspec.Struct, frozen=True):
    key: str
    number: str
    title: str
    aliases: tuple[str, ...] = ()


SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("overview", "一", "总体情况"),
    SectionDef("active_disclosure", "二", "主动公开政府信息情况", ("主动公开政府信息的情况",)),
    SectionDef(
        "applications",
        "三",
        "收到和处理政府信息公开申请情况",
        ("依申请公开政府信息情况", "收到和处理政府信息公开申请的情况"),
    ),
    SectionDef(
        "reviews_litigation",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        ("政府信息公开行政复议和行政诉讼情况", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
    ),
    SectionDef(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题和改进情况"),
    ),
    SectionDef("other", "六", "其他需要报告的事项"),
)

TABLE_KEYS = ("active_disclosure", "applications", "reviews_litigation")
# The template names the tables after the section that holds them: 表二, 表三, 表四.
TABLE_NAMES = {
    "active_disclosure": "表二（主动公开政府信息情况）",
    "applications": "表三（收到和处理政府信息公开申请情况）",
    "reviews_litigation": "表四（行政复议、行政诉讼情况）",
}
TABLE_SHORT = {"active_disclosure": "表二", "applications": "表三", "reviews_litigation": "表四"}

# ---------------------------------------------------------------- table 1: 主动公开
_C21_DOCS = (
    Column("issued", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_C21_DECISIONS = (Column("decisions", "本年处理决定数量"),)
_C21_FEES = (Column("amount", "本年收费金额", "amount"),)

ACTIVE_2021: tuple[RowDef, ...] = (
    RowDef("regulations", "规章", _C21_DOCS),
    RowDef("normative_documents", "行政规范性文件", _C21_DOCS, ("规范性文件",)),
    RowDef("licensing", "行政许可", _C21_DECISIONS),
    RowDef("punishment", "行政处罚", _C21_DECISIONS),
    RowDef("coercion", "行政强制", _C21_DECISIONS),
    RowDef("fees", "行政事业性收费", _C21_FEES),
)

_C19_DOCS = (
    Column("made", "本年新制作数量"),
    Column("published", "本年新公开数量"),
    Column("total_published", "对外公开总数量"),
)
_C19_ITEMS = (
    Column("previous_items", "上一年项目数量"),
    Column("change", "本年增/减", "signed"),
    Column("decisions", "处理决定数量"),
)
ACTIVE_2019: tuple[RowDef, ...] = (
    RowDef("regulations", "规章", _C19_DOCS),
    RowDef("normative_documents", "规范性文件", _C19_DOCS, ("行政规范性文件",)),
    RowDef("licensing", "行政许可", _C19_ITEMS),
    RowDef("other_services", "其他对外管理服务事项", _C19_ITEMS),
    RowDef("punishment", "行政处罚", _C19_ITEMS),
    RowDef("coercion", "行政强制", _C19_ITEMS),
    RowDef("fees", "行政事业性收费", _C19_ITEMS[:2]),
    RowDef(
        "procurement",
        "政府集中采购",
        (Column("projects", "采购项目数量"), Column("amount", "采购总金额", "amount")),
    ),
)

# Column labels that tell the two templates' first tables apart.
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
    ),
}

# ---------------------------------------------------------------- table 2: 依申请
APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other", "其他"),
)
APP_COLUMNS: tuple[Column, ...] = (*APPLICANT_COLUMNS, Column("total", "总计"))

_G_DENIED = "不予公开"
_G_UNAVAILABLE = "无法提供"
_G_NOT_PROCESSED = "不予处理"
_G_OTHER = "其他处理"


def _app(key: str, label: str, *aliases: str, group: str | None = None, **kw: object) -> RowDef:
    return RowDef(key, label, APP_COLUMNS, tuple(aliases), group, **kw)  # type: ignore[arg-type]  # **kw: the RowDef flags, each of its own type


APPLICATIONS_ROWS: tuple[RowDef, ...] = (
    _app("new_received", "本年新收政府信息公开申请数量"),
    _app("carried_over", "上年结转政府信息公开申请数量"),
    _app("granted", "予以公开"),
    _app("partially_granted", "部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
    _app("denied.state_secret", "属于国家秘密", group=_G_DENIED),
    _app(
        "denied.prohibited_by_law",
        "其他法律行政法规禁止公开",
        "其他法律法规禁止公开",
        "法律行政法规禁止公开",
        group=_G_DENIED,
    ),
    _app("denied.endangers_safety", "危及“三安全一稳定”", "危及三安全一稳定", group=_G_DENIED),
    _app("denied.third_party_rights", "保护第三方合法权益", group=_G_DENIED),
    _app("denied.internal_affairs", "属于三类内部事务信息", group=_G_DENIED),
    _app("denied.process_information", "属于四类过程性信息", group=_G_DENIED),
    _app("denied.enforcement_files", "属于行政执法案卷", group=_G_DENIED),
    _app("denied.inquiry_matters", "属于行政查询事项", group=_G_DENIED),
    _app("unavailable.not_held", "本机关不掌握相关政府信息", group=_G_UNAVAILABLE),
    _app("unavailable.needs_creation", "没有现成信息需要另行制作", group=_G_UNAVAILABLE),
    _app("unavailable.unclear_after_correction", "补正后申请内容仍不明确", group=_G_UNAVAILABLE),
    _app("not_processed.complaint", "信访举报投诉类申请", group=_G_NOT_PROCESSED),
    _app("not_processed.duplicate", "重复申请", group=_G_NOT_PROCESSED),
    _app("not_processed.publication", "要求提供公开出版物", group=_G_NOT_PROCESSED),
    _app("not_processed.excessive", "无正当理由大量反复申请", group=_G_NOT_PROCESSED),
    _app(
        "not_processed.confirmation",
        "要求行政机关确认或重新出具已获取信息",
        group=_G_NOT_PROCESSED,
    ),
    _app(
        "other.no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        group=_G_OTHER,
    ),
    _app(
        "other.fee_unpaid",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        group=_G_OTHER,
    ),
    _app("other.other", "其他", group=_G_OTHER, needs_context=True),
    # Template 2019's single row; in a 2021 report it stands for the three rows above.
    _app("other", "其他处理", variant_of=("other.no_correction", "other.fee_unpaid", "other.other")),
    _app("total", "总计", needs_context=True),
    _app("carried_forward", "结转下年度继续办理"),
)
APP_ROW = {r.key: r for r in APPLICATIONS_ROWS}
APP_GROUPS: tuple[str, ...] = ("本年度办理结果", _G_DENIED, _G_UNAVAILABLE, _G_NOT_PROCESSED, _G_OTHER)
OUTCOME_2021 = tuple(r.key for r in APPLICATIONS_ROWS[2:23])
OUTCOME_2019 = (*OUTCOME_2021[:-3], "other")

APP_HEADER_LABELS = (
    "申请人情况",
    "法人或其他组织",
    *(c.label for c in APP_COLUMNS),
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
)

# ---------------------------------------------------------------- table 3: 复议诉讼
REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
REVIEW_ROWS: tuple[RowDef, ...] = (
    RowDef("review", "行政复议", REVIEW_COLUMNS),
    RowDef("litigation_direct", "行政诉讼 · 未经复议直接起诉", REVIEW_COLUMNS, ("未经复议直接起诉",)),
    RowDef("litigation_after_review", "行政诉讼 · 复议后起诉", REVIEW_COLUMNS, ("复议后起诉",)),
)
REVIEW_HEADER_LABELS = (
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    *(c.label for c in REVIEW_COLUMNS),
)


class Template(msgspec.Struct, frozen=True):
    id: TemplateId
    active_rows: tuple[RowDef, ...]
    outcome_rows: tuple[str, ...]
    # Keys of table 2 rows that this template does not print.
    absent_app_rows: frozenset[str] = msgspec.field(default_factory=frozenset)


TEMPLATES: dict[str, Template] = {
    "2021": Template("2021", ACTIVE_2021, OUTCOME_2021, frozenset({"other"})),
    "2019": Template(
        "2019",
        ACTIVE_2019,
        OUTCOME_2019,
        frozenset({"other.no_correction", "other.fee_unpaid", "other.other"}),
    ),
}


def column_label(table: str, row_key: str, column_key: str, template: str = "2021") -> str:
    """The printed label of a column, for messages."""
    if table == "applications":
        cols: tuple[Column, ...] = APP_COLUMNS
    elif table == "reviews_litigation":
        cols = REVIEW_COLUMNS
    else:
        rows = TEMPLATES.get(template, TEMPLATES["2021"]).active_rows
        cols = next((r.columns for r in rows if r.key == row_key), ())
    return next((c.label for c in cols if c.key == column_key), column_key)


def row_label(table: str, row_key: str, template: str = "2021") -> str:
    """The template's label of a row, for messages."""
    if table == "applications":
        return _APP_PRINTED.get(row_key, row_key)
    if table == "reviews_litigation":
        return next((r.label for r in REVIEW_ROWS if r.key == row_key), row_key)
    rows = TEMPLATES.get(template, TEMPLATES["2021"]).active_rows
    return next((r.label for r in rows if r.key == row_key), row_key)


# Table 2 labels as the template prints them, numbering included, for messages.
_APP_PRINTED = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开",
    "total": "（七）总计",
    "other": "（六）其他处理",
    "carried_forward": "四、结转下年度继续办理",
}
for _r in APPLICATIONS_ROWS:
    if _r.key not in _APP_PRINTED:
        _group = {"denied": "（三）", "unavailable": "（四）", "not_processed": "（五）", "other": "（六）"}
        _prefix, _, _ = _r.key.partition(".")
        _n = [x.key for x in APPLICATIONS_ROWS if x.key.startswith(_prefix + ".")].index(_r.key) + 1
        _APP_PRINTED[_r.key] = f"{_group[_prefix]}{_r.group}·{_n}.{_r.label}"
