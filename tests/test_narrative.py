"""Narrative rules on whole reports: stated figures that agree, planted mismatches at their
line, what is skipped, and no finding on the seeds and corpus (whose text agrees with their
tables). Each rule's own examples are run by tests/test_rule_examples.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import cn2an
import pytest

from reports import line_of, values
from service.domain.formats import parse_file
from service.domain.pipeline import parse_bytes, parse_text
from service.domain.render import render_report
from service.domain.rules.narrative import TARGETS, claims, number

ROOT = Path(__file__).resolve().parents[2] / "shared"
SEED = 9


def figures(v: dict[str, Any]) -> dict[str, str]:
    """The placeholders of the sentences here for the tables `v`: `{key}` the table's figure
    for a target (`TARGETS`), `{key_wrong}` that figure plus one, `{key_cn}` it in Chinese
    numerals, `{granted_share}` 予以公开 over the handled applications in percent."""
    apps, rev = v["applications"], v["reviews_litigation"]
    def group(prefix: str) -> int:
        return sum(r["total"] for k, r in apps.items() if k.startswith(prefix))
    base = {
        "new_received": apps["new_received"]["total"], "handled": apps["total"]["total"],
        "carried_forward": apps["carried_forward"]["total"], "granted": apps["granted"]["total"],
        "partially_granted": apps["partially_granted"]["total"], "denied": group("denied."),
        "reviews": rev["review"]["total"],
        "litigation": rev["litigation_direct"]["total"] + rev["litigation_after_review"]["total"],
    }
    out: dict[str, str] = {}
    for k, n in base.items():
        out[k], out[f"{k}_wrong"] = str(n), str(n + 1)
        out[f"{k}_cn"], out[f"{k}_wrong_cn"] = cn2an.an2cn(n), cn2an.an2cn(n + 1)
    share = Decimal(100 * base["granted"]) / base["handled"]
    out["granted_share"] = format(round(share, 2), "f")
    out["granted_share_wrong"] = format(round(share + 3, 2), "f")
    return out


def build(overview: str, seed: int = SEED) -> str:
    v = values(seed=seed)
    return render_report(v, year=2023, narrative={"overview": overview.format(**figures(v))})


# Sentences stating the tables' figures as clerks write them (Arabic and Chinese numerals,
# the outcomes in a list, a share): `{key}` is filled in by `figures`.
STATED = (
    "本年度新收政府信息公开申请{new_received}件，办结{handled}件，结转下年度继续办理{carried_forward}件。"
    "全年发生政府信息公开行政复议{reviews}件，行政诉讼{litigation}件。",
    "本年新收政府信息公开申请{new_received_cn}件。",
    "其中予以公开{granted}件，部分公开{partially_granted}件，不予公开{denied}件。",
    "其中予以公开{granted}件，占{granted_share}%。",
)


def test_a_sound_report_whose_text_states_its_figures_has_no_issue() -> None:
    """The text is read (each sentence ties a figure to a cell) and agrees: no rule of any
    family says anything about the whole report."""
    assert [i.code for i in parse_text(build("".join(STATED))).issues] == []


@pytest.mark.parametrize(("sentence", "code"), [
    ("本年新收政府信息公开申请{new_received_wrong_cn}件。", "narrative-mismatch"),
    ("其中予以公开{granted}件，部分公开{partially_granted_wrong}件，不予公开{denied}件。", "narrative-mismatch"),
    ("其中予以公开{granted}件，占{granted_share_wrong}%。", "narrative-percent-mismatch"),
])
def test_a_misstated_figure_in_a_whole_report_is_its_one_finding(sentence: str, code: str) -> None:
    text = build(sentence)
    found = parse_text(text).issues
    assert [(i.code, i.location.section, i.location.line) for i in found] == [
        (code, "overview", line_of(text, "一、总体情况") + 1)]


def test_planted_mismatch_names_figure_and_cell_on_its_wrapped_line() -> None:
    v = values(seed=SEED)
    f = figures(v)
    # hard-wrapped like PDF text: the figure is on the second line of the sentence
    overview = f"本年度共办理依申请公开事项，新收政府信息公开\n申请{f['new_received_wrong']}件，均已按期答复。"
    text = render_report(v, year=2023, narrative={"overview": overview})
    (issue,) = [i for i in parse_text(text).issues if i.code == "narrative-mismatch"]
    assert issue.location.line == line_of(text, f"申请{f['new_received_wrong']}件")
    assert (issue.actual, issue.expected) == (int(f["new_received_wrong"]), int(f["new_received"]))
    assert "本年新收" in issue.message


@pytest.mark.parametrize("sentence", [
    "本年度新收政府信息公开申请{new_received_wrong}件，同比增长10%。",          # a change
    "2022年新收政府信息公开申请{new_received_wrong}件。",                     # another year
    "全市各部门新收政府信息公开申请{new_received_wrong}件。",                  # another scope
    "本年度新收政府信息公开申请约{new_received_wrong}件。",                    # an estimate
    "本年度收到申请3至5件。",                                                  # a range
    "本年度新收政府信息公开申请{new_received}件，其中办结{handled_wrong}件。",   # a sub-scope
    "本年度行政复议、行政诉讼共{reviews_wrong}件。",                           # a shared figure
    "本年度新收政府信息公开申请{new_received}件，新收政府信息公开申请{new_received_wrong}件。",  # two figures
])
def test_doubtful_sentences_are_skipped(sentence: str) -> None:
    found = [i for i in parse_text(build(sentence)).issues if i.code.startswith("narrative")]
    assert found == []


def test_received_with_carried_over_is_not_tied() -> None:
    v = values(seed=SEED)
    assert v["applications"]["carried_over"]["total"] > 0
    text = render_report(v, year=2023, narrative={"overview": "本年度共收到政府信息公开申请999件。"})
    assert [i for i in parse_text(text).issues if i.code.startswith("narrative")] == []


def test_a_table_in_doubt_is_not_compared() -> None:
    v = values(seed=SEED)
    f = figures(v)
    v["applications"]["new_received"]["natural_person"] += 1  # row total no longer adds up
    text = render_report(v, year=2023, narrative={"overview": f"本年度新收政府信息公开申请{f['new_received_wrong']}件。"})
    assert [i for i in parse_text(text).issues if i.code.startswith("narrative")] == []


@pytest.mark.parametrize(("text", "value"), [("26", 26), ("二十六", 26), ("一百零五", 105), ("两", 2),
                                             ("十", 10), ("7.5", Decimal("7.5")), ("一二三", None)])
def test_number(text: str, value: Any) -> None:
    assert number(text) == value


def test_claims_tie_each_target() -> None:
    keys = [c.target.key for c in claims("行政诉讼2件", 2023)] + [c.target.key for c in claims("行政事业性收费7.5万元", 2023)]
    assert keys == ["litigation", "fees"]
    assert {t.key for t in TARGETS} >= {"new_received", "carried_over", "handled", "carried_forward",
                                        "reviews", "litigation", "fees"}


CORPUS_FILES = sorted((ROOT / "corpus").glob("*.truth.json"))


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.name)
def test_no_narrative_finding_on_the_seeds(seed: Path) -> None:
    result = parse_bytes(seed.read_bytes())
    assert [i for i in result.issues if i.code.startswith("narrative")] == []


@pytest.mark.parametrize("name", ["shuyang-fgj-2023.html", "shanghai-kewei-2024.md", "pingtan-2019.crawl.txt",
                                  "huaian-city-2024.pdf", "huaian-city-2024.layout.txt",
                                  "huaian-hongze-2023.pdf", "huaian-hongze-2024.pdf"])
def test_no_narrative_finding_on_the_corpus(name: str) -> None:
    data = (ROOT / "corpus" / name).read_bytes()
    fmt = {"html": "html", "pdf": "pdf"}.get(name.rsplit(".", 1)[-1], "text")
    result = parse_file(data, fmt)
    assert [i for i in result.issues if i.code.startswith("narrative")] == []
