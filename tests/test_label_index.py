"""`LabelIndex` gives exactly the scores of `similarity` over every label, only faster.

The index is the parser's innermost loop (every short line against the section titles,
every text cell against a table's row labels), so it was rewritten for speed; these tests
hold it to the brute-force definition it replaced.
"""

from __future__ import annotations

import random

import pytest

from mutations import mutate
from service.domain.labels import LabelIndex, similarity, threshold
from service.domain.layout import read_text
from service.domain.normalize import fold
from service.domain.template import APPLICATIONS_ROWS, SECTIONS, TEMPLATES


def brute_force(entries: list[tuple[int, str]], text: str, bar, longest: int | None) -> dict[int, float]:
    if not text or (longest is not None and len(text) > longest):
        return {}
    out: dict[int, float] = {}
    for key, label in entries:
        score = similarity(text, label)
        if score >= bar(label) and score > out.get(key, 0.0):
            out[key] = score
    return out


ROW_ENTRIES = [(n, fold(x)) for n, r in enumerate(APPLICATIONS_ROWS) for x in (r.label, *r.aliases)]
ACTIVE_ENTRIES = [
    (n, fold(x)) for n, r in enumerate(TEMPLATES["2019"].active_rows) for x in (r.label, *r.aliases)
]
TITLE_ENTRIES = [(n, fold(t)) for n, s in enumerate(SECTIONS) for t in (s.title, *s.aliases)]


def probes(entries: list[tuple[int, str]], seed: int) -> list[str]:
    """Labels as printed, cut, extended, with characters dropped, swapped or replaced."""
    rnd = random.Random(seed)
    labels = [label for _, label in entries]
    alphabet = "".join(sorted(set("".join(labels)))) + "0123456789xyz"
    out = ["", "0", "12", "总计", "其他", "合计"]
    for label in labels:
        out += [label, label[:-1], label[1:], label[: max(1, len(label) // 2)], label + "情况",
                label + "（续表）" * 3, "附：" + label]
        out += [mutate(label, rnd, alphabet, max_edits=3) for _ in range(8)]
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(300)]
    return out


@pytest.mark.parametrize(
    ("entries", "bar", "longest"),
    [
        (ROW_ENTRIES, threshold, 64),
        (ACTIVE_ENTRIES, threshold, 64),
        (TITLE_ENTRIES, lambda _label: 80.0, None),
    ],
    ids=["table-3-rows", "table-2-rows-2019", "section-titles"],
)
def test_scores_equal_brute_force(entries, bar, longest) -> None:
    index = LabelIndex(entries, bar=bar, longest=longest)
    for text in probes(entries, seed=len(entries)):
        assert index.scores(text) == brute_force(entries, text, bar, longest), text


def test_length_bound_applies_only_when_given() -> None:
    title = fold(SECTIONS[1].title)
    long_text = title + "附" * 70  # the prefix rule scores it 82 against the title
    bounded = LabelIndex([(1, title)], bar=lambda _label: 80.0)
    unbounded = LabelIndex([(1, title)], bar=lambda _label: 80.0, longest=None)
    assert bounded.scores(long_text) == {}
    assert unbounded.scores(long_text) == {1: 82.0}


def test_a_cell_wrapped_over_many_lines_keeps_every_line_in_order() -> None:
    lines = [f"行{n}" for n in range(5000)]
    doc = read_text("\t本年新收\n\t1\n\t2\n" + "\n".join(lines) + "\n\n一、总体情况\n")
    row = doc.blocks[0]
    assert row.cells is not None
    assert [c.text for c in row.cells] == ["本年新收", "1", "2" + "".join(lines)]
    assert doc.blocks[1].text == "一、总体情况"
