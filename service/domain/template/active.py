"""表二 (主动公开政府信息情况): one table per template, its rows under the articles of
《条例》第二十条 that they report on, each group with columns of its own."""

from __future__ import annotations

from service.domain.template.model import Column, Group, RowDef, TableDef

KEY = "active_disclosure"
SHORT = "表二"
NAME = "表二（主动公开政府信息情况）"

# ---------------------------------------------------------------- template 2021
_C21_DOCS = (
    Column("issued", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_C21_DECISIONS = (Column("decisions", "本年处理决定数量"),)
_C21_FEES = (Column("amount", "本年收费金额", "amount"),)

ACTIVE_2021 = TableDef(
    KEY,
    section=KEY,
    short=SHORT,
    name=NAME,
    layout="grouped",
    rows=(
        RowDef("regulations", "规章", _C21_DOCS),
        RowDef("normative_documents", "行政规范性文件", _C21_DOCS, ("规范性文件",)),
        RowDef("licensing", "行政许可", _C21_DECISIONS),
        RowDef("punishment", "行政处罚", _C21_DECISIONS),
        RowDef("coercion", "行政强制", _C21_DECISIONS),
        RowDef("fees", "行政事业性收费", _C21_FEES),
    ),
    columns=(*_C21_DOCS, *_C21_DECISIONS, *_C21_FEES),
    groups=(
        Group("第二十条第（一）项", ("regulations", "normative_documents"), glued=False),
        Group("第二十条第（五）项", ("licensing",), glued=False),
        Group("第二十条第（六）项", ("punishment", "coercion"), glued=False),
        Group("第二十条第（八）项", ("fees",), glued=False),
    ),
)
MARKERS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")

# ---------------------------------------------------------------- template 2019
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
_C19_PROCUREMENT = (Column("projects", "采购项目数量"), Column("amount", "采购总金额", "amount"))

ACTIVE_2019 = TableDef(
    KEY,
    section=KEY,
    short=SHORT,
    name=NAME,
    layout="grouped",
    rows=(
        RowDef("regulations", "规章", _C19_DOCS),
        RowDef("normative_documents", "规范性文件", _C19_DOCS, ("行政规范性文件",)),
        RowDef("licensing", "行政许可", _C19_ITEMS),
        RowDef("other_services", "其他对外管理服务事项", _C19_ITEMS),
        RowDef("punishment", "行政处罚", _C19_ITEMS),
        RowDef("coercion", "行政强制", _C19_ITEMS),
        RowDef("fees", "行政事业性收费", _C19_ITEMS[:2]),
        RowDef("procurement", "政府集中采购", _C19_PROCUREMENT),
    ),
    columns=(*_C19_DOCS, *_C19_ITEMS, *_C19_PROCUREMENT),
    groups=(
        Group("第二十条第（一）项", ("regulations", "normative_documents"), glued=False),
        Group("第二十条第（五）项", ("licensing", "other_services"), glued=False),
        Group("第二十条第（六）项", ("punishment", "coercion"), glued=False),
        Group("第二十条第（八）项", ("fees",), glued=False),
        Group("第二十条第（九）项", ("procurement",), glued=False),
    ),
)
MARKERS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购项目数量",
    "采购总金额",
)
