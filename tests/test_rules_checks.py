"""The cross-checks as equations (`service/domain/rules/checks.py`): built from the declared
`Check`s over the rows a report prints, evaluated, and solved for blank cells."""

from __future__ import annotations

from reports import report, values
from service.domain.facts import Facts
from service.domain.layout import read_text
from service.domain.meta import extract
from service.domain.pipeline import parse_document, read_tables, table_regions
from service.domain.rules import checks
from service.domain.sections import find_headings, section_spans
from service.domain.template import TEMPLATES

APP_ROWS = ("new_received", "carried_over", "granted", "partially_granted", "total", "carried_forward")


def test_equations_follow_the_declared_checks_and_the_printed_rows() -> None:
    sk = checks.skeleton(TEMPLATES["2021"], "2021", (APP_ROWS, ("review",)))
    codes = [eq.code for eq in sk.equations]
    # Row checks in every printed row, then per column the balance and the outcome total,
    # then 表四's row check.
    assert codes[:6] == ["row-total-mismatch"] * 6
    assert codes[6:8] == ["balance-mismatch", "outcome-total-mismatch"]
    assert codes.count("balance-mismatch") == codes.count("outcome-total-mismatch") == 7
    assert codes[-1] == "review-total-mismatch"
    outcome = next(eq for eq in sk.equations if eq.code == "outcome-total-mismatch")
    assert [sk.cells[i][1] for i in outcome.right] == ["granted", "partially_granted"]


def test_a_column_check_needs_its_rows() -> None:
    sk = checks.skeleton(TEMPLATES["2021"], "2021", (("new_received", "carried_over", "total"), ()))
    assert {eq.code for eq in sk.equations} == {"row-total-mismatch"}


def test_the_single_other_row_is_summed_as_printed() -> None:
    rows = ("granted", "other", "total")
    for template in ("2019", "2021"):
        sk = checks.skeleton(TEMPLATES[template], template, (rows, ()))
        outcome = next(eq for eq in sk.equations if eq.code == "outcome-total-mismatch")
        assert [sk.cells[i][1] for i in outcome.right] == ["granted", "other"]


def _system(text: str) -> checks.System:
    doc = read_text(text)
    headings = find_headings(doc)
    spans = section_spans(doc, headings)
    template, tables = read_tables(table_regions(doc, headings, spans))
    meta = extract(doc, headings[0].block if headings else None)
    return checks.build(Facts(doc=doc, headings=headings, template=template, meta=meta, tables=tables, spans=spans))


def test_a_blank_the_checks_determine_is_implied() -> None:
    v = values()
    expected = v["applications"]["granted"]["commercial"]
    v["applications"]["granted"]["commercial"] = None
    system = _system(report(v))
    assert system.implied_value(("applications", "granted", "commercial")) == expected
    assert system.is_unknown(("applications", "granted", "commercial"))
    sums, failed = system.evaluate()
    assert failed == {} and None not in sums


def test_a_sound_report_has_every_check_hold() -> None:
    system = _system(report(values(seed=4)))
    sums, failed = system.evaluate()
    assert failed == {} and len(sums) == len(system.equations) > 40
    assert parse_document(read_text(report(values(seed=4)))).issues == []
