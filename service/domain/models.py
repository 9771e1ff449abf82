"""Domain and wire models: every structure the service reads or returns.

One base Struct (`Model`) carries the shared configuration so that every model encodes the
same way: fields in declaration order, `None`-valued optional fields left out where the
field is declared with a default.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Severity = Literal["error", "warning", "info"]
TemplateName = Literal["2021", "2019", "unknown"]
SectionKey = Literal[
    "overview", "active_disclosure", "applications", "reviews_litigation", "problems", "other"
]
TableKey = Literal["active_disclosure", "applications", "reviews_litigation"]
CellValue = int | str | None


class Model(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=False):
    """Base of every model; `omit_defaults` keeps absent optional fields out of the JSON."""


class Location(Model):
    """Where a finding is. Only the fields that apply are present.

    Each input form says where in itself: plain text by `line`; HTML by `cell` and `line`
    (the element's source line); Word by `cell` and `line` (the block's position in the
    document); PDF by `page` (and `line`, the block's position). `cell` is "T<t>R<r>C<c>":
    the t-th table, its r-th row, the c-th cell of that row, 1-based and counted as the
    file stores them (merged cells do not shift the count).
    """

    section: SectionKey | None = None
    table: TableKey | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None
    page: int | None = None
    cell: str | None = None


class Issue(Model):
    code: str
    severity: Severity
    message: str
    location: Location = msgspec.field(default_factory=Location)
    expected: CellValue = None
    actual: CellValue = None


class Row(Model):
    key: str
    label: str
    values: dict[str, CellValue]
    line: int | None = None
    unit: str | None = None


class CellReading(Model):
    """A cell of a table not read exactly as printed, and why (in Chinese, for the clerk)."""

    row: str
    column: str
    # "inferred": the value given is the one reading that fits the layout and the table's
    # cross-checks; "ambiguous": several readings (or none) fit, so the value is null.
    reading: Literal["inferred", "ambiguous"]
    why: str
    line: int | None = None


class Table(Model):
    """A statistical table as read.

    `reading` says how sure the reading is: "exact" when every cell was read as printed;
    "inferred" when some cells were chosen among candidate readings of a broken layout (a
    value row without its label, numbers shifted by a page number …) because one reading
    alone fits the layout and the template's cross-checks; "ambiguous" when for some cells
    no single reading fits: they are null, never guessed, and one `table-reading-ambiguous`
    warning names each such place. `cells` lists every cell not read exactly, with why.
    An arithmetic finding that rests on an inferred cell is a warning, never an error; one
    that rests on an ambiguous cell is not made.
    """

    reading: Literal["exact", "inferred", "ambiguous"]
    rows: list[Row] = msgspec.field(default_factory=list)
    line: int | None = None
    cells: list[CellReading] = msgspec.field(default_factory=list)


class Tables(Model):
    active_disclosure: Table | None = None
    applications: Table | None = None
    reviews_litigation: Table | None = None


class Section(Model):
    key: SectionKey
    title: str
    text: str
    line: int
    number: str | None = None


class Meta(Model):
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    index_number: str | None = None


class Summary(Model):
    valid: bool
    errors: int
    warnings: int
    infos: int


_RATE = "a fraction between 0 and 1, rounded to 4 decimal places"


class Stats(Model):
    """The figures evaluators derive from the tables (see `service.domain.stats`). Every
    field is always present; `null` when a cell it needs is blank or unread, or a rate's
    denominator is 0 or smaller than its numerator."""

    applications_received: Annotated[int | None, msgspec.Meta(
        description="Applications received this year: 表三 一、本年新收政府信息公开申请数量, 总计 column."
    )]
    applications_handled: Annotated[int | None, msgspec.Meta(
        description="Applications handled: 表三 （七）总计, 总计 column."
    )]
    disclosure_rate: Annotated[float | None, msgspec.Meta(
        description="Disclosure rate: (（一）予以公开 + （二）部分公开) / （七）总计, 总计 column of 表三; " + _RATE + "."
    )]
    review_correction_rate: Annotated[float | None, msgspec.Meta(
        description="Correction rate of 行政复议: 表四 行政复议 结果纠正 / 总计; " + _RATE + "."
    )]
    litigation_correction_rate: Annotated[float | None, msgspec.Meta(
        description="Correction rate of 行政诉讼: 结果纠正 / 总计 over both 行政诉讼 rows of 表四 "
        "(未经复议直接起诉 and 复议后起诉); " + _RATE + "."
    )]


class ParseResult(Model):
    template: TemplateName
    meta: Meta
    sections: list[Section]
    tables: Tables
    issues: list[Issue]
    summary: Summary
    stats: Stats


class ValidateResult(Model):
    template: TemplateName
    meta: Meta
    issues: list[Issue]
    summary: Summary
    stats: Stats

    @classmethod
    def from_parse(cls, result: ParseResult) -> ValidateResult:
        return cls(
            template=result.template,
            meta=result.meta,
            issues=result.issues,
            summary=result.summary,
            stats=result.stats,
        )


class RuleExample(Model):
    """A short report fragment showing a rule: a report this rule passes, or one it fails.
    A rule that compares reports shows the others with it: `previous` (cross-year rules) or
    `parts` (rollup rules); every other rule's examples have neither."""

    report: str
    # Where the rule reports the failing fragment (only the fields that say where); for a
    # passing one, where it must not report (nothing: not anywhere).
    at: list[Location] = msgspec.field(default_factory=list)
    previous: Annotated[str | None, msgspec.Meta(
        description="Last year's report, sent as `previous` with `report` (cross-year rules)."
    )] = None
    parts: Annotated[list[str], msgspec.Meta(
        description="The reports `report` sums, sent with it as the summary to "
        "`POST /v1/reports/rollup` (rollup rules)."
    )] = msgspec.field(default_factory=list)


class RuleInfo(Model):
    """One entry of the rule catalogue, as `GET /v1/rules` lists it."""

    code: str
    severity: Severity
    title: str
    description: str
    family: str
    # Report fragments the rule passes and fails; the test suite runs every one of them.
    passing: list[RuleExample] = msgspec.field(default_factory=list)
    failing: list[RuleExample] = msgspec.field(default_factory=list)


def summarise(issues: list[Issue]) -> Summary:
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = sum(1 for i in issues if i.severity == "warning")
    infos = len(issues) - errors - warnings
    return Summary(valid=errors == 0, errors=errors, warnings=warnings, infos=infos)


class RollupPart(Model):
    """One report the summary sums, as the rollup answer lists it."""

    index: int  # 1-based, in the order sent
    meta: Meta
    summary: Summary  # the part's own validation verdict
    filename: str | None = None


class RollupResult(Model):
    """The summary report's own validation (`report`), the parts, and the rollup findings:
    `issues` and `summary` count only the comparison of the summary with its parts."""

    report: ValidateResult
    parts: list[RollupPart]
    issues: list[Issue]
    summary: Summary
