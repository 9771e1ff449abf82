"""表四 (政府信息公开行政复议、行政诉讼情况): three rows of five, 总计 the sum of the four others."""

from __future__ import annotations

from service.domain.template.model import Check, Column, Group, RowDef, TableDef

REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
_PARTS = tuple(c.key for c in REVIEW_COLUMNS if c.key != "total")
_LITIGATION = "行政诉讼"

REVIEWS = TableDef(
    "reviews_litigation",
    section="reviews_litigation",
    short="表四",
    name="表四（行政复议、行政诉讼情况）",
    layout="grid",
    # A row under a group heading is printed there by its first alias (未经复议直接起诉).
    rows=(
        RowDef("review", "行政复议", REVIEW_COLUMNS),
        RowDef("litigation_direct", "行政诉讼 · 未经复议直接起诉", REVIEW_COLUMNS, ("未经复议直接起诉",)),
        RowDef("litigation_after_review", "行政诉讼 · 复议后起诉", REVIEW_COLUMNS, ("复议后起诉",)),
    ),
    columns=REVIEW_COLUMNS,
    groups=(Group(_LITIGATION, ("litigation_direct", "litigation_after_review"), glued=False),),
    checks=(Check("review-total-mismatch", "row", ("total",), _PARTS, at="total", name="「{row}」行总计"),),
    headers=("行政复议", _LITIGATION, "未经复议直接起诉", "复议后起诉"),
)
