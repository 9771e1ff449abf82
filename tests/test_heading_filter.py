"""The heading finder's pre-filter rejects no block that a title could match.

`sections._may_match_a_title` lets the heading finder skip scoring most blocks of a report.
It must be a necessary condition only: these tests hold it to the scores themselves, on
titles printed in every way the scorer tolerates (cut, extended, characters dropped, inserted,
replaced, full-width, Kangxi radicals from PDFs), and hold the whole heading finder to the
one that scored every block.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from mutations import mutate
from reports import report, values
from service.domain.decode import decode
from service.domain.document import Document
from service.domain.labels import split_enumerator
from service.domain.layout import read_text
from service.domain.normalize import fold
from service.domain.render import LAYOUTS
from service.domain.sections import (
    _ANCHORS,
    _LABELS,
    _TITLES,
    _TRAILING,
    MAX_HEADING,
    SECTIONS,
    Heading,
    _may_match_a_title,
    find_headings,
    heading_candidates,
)

GOLDEN = Path(__file__).parent / "golden"
# Compatibility forms NFKC turns into title characters or numerals (Kangxi radicals such as ⼀
# and ⼯ in PDF extractions, compatibility ideographs such as the one for 况).
_COMPAT = {
    unicodedata.normalize("NFKC", chr(code)): chr(code)
    for code in reversed(range(0x30000))  # the first form of a character wins
    if unicodedata.decomposition(chr(code))
    and unicodedata.normalize("NFKC", chr(code)) in {c for s in SECTIONS for c in s.title + "".join(s.aliases)} | set("一二三四五六")
}


def _scores(text: str) -> dict[int, float]:
    return _TITLES.scores(fold(split_enumerator(text)[1]))


def probes(seed: int) -> list[str]:
    rnd = random.Random(seed)
    titles = [t for s in SECTIONS for t in (s.title, *s.aliases)]
    alphabet = "".join(sorted({c for t in titles for c in t})) + "0123456789（）()、. 　x"
    out: list[str] = []
    for title in titles:
        for number in ("", "一、", "（三）", "3.", "七、"):
            out += [number + title, number + title[:-1], number + title[1:], number + title + "。",
                    number + title + "（续）", number + title[: max(4, len(title) * 3 // 5)],
                    number + title[:6], number + title + "工作开展得很好", " ".join(title)]
        out += [
            mutate(title, rnd, alphabet, max_edits=5, replace=lambda c: _COMPAT.get(c, c))
            for _ in range(60)
        ]
        # The filter's worst case: the title's anchor characters dropped or replaced.
        anchored = [i for i, c in enumerate(title) if c in _ANCHORS]
        for k in range(1, len(title) // 3 + 2):
            for _ in range(20):
                hit = set(rnd.sample(anchored, min(k, len(anchored))))
                out.append("".join(c for i, c in enumerate(title) if i not in hit))
                out.append("".join("某" if i in hit else c for i, c in enumerate(title)))
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    return out


def test_anchors_are_title_characters_and_not_ascii() -> None:
    assert len(_COMPAT) >= 5 and "况" in _COMPAT
    assert _ANCHORS <= {c for _, label in _LABELS for c in label}
    assert not any(c.isascii() for c in _ANCHORS)


@pytest.mark.parametrize("seed", range(3))
def test_a_text_the_filter_rejects_matches_no_title(seed: int) -> None:
    rejected = matched = 0
    for text in probes(seed):
        text = text.strip().rstrip(_TRAILING)
        if not text or len(text) > MAX_HEADING:
            continue
        scores = _scores(text)
        matched += bool(scores)
        if not _may_match_a_title(text):
            rejected += 1
            assert scores == {}, text
    assert rejected > 300 and matched > 300, (rejected, matched)  # both sides are exercised


def scoring_every_block(doc: Document) -> list[Heading]:
    """The heading candidates as found before the pre-filter: every short block scored."""
    out: list[Heading] = []
    for i, block in enumerate(doc.blocks):
        text = block.heading_text()
        if not text:
            continue
        text = text.strip().rstrip(_TRAILING)
        if not text or len(text) > MAX_HEADING:
            continue
        enum, rest = split_enumerator(text)
        scores = _scores(text)
        for index in sorted(scores):
            out.append(Heading(SECTIONS[index].key, index, i, block.line, enum, text, scores[index]))
    return out


def documents() -> list[Document]:
    texts = [decode(p.read_bytes()) for p in sorted(GOLDEN.glob("*/input.txt"))]
    texts += [report(values(seed=3, template=t), layout=layout, template=t) for t in ("2021", "2019")
              for layout in LAYOUTS]
    rnd = random.Random(5)
    mutated = []
    for text in texts:
        lines = text.split("\n")
        for _ in range(4):
            copy = list(lines)
            for _ in range(10):
                i = rnd.randrange(len(copy))
                line = copy[i]
                op = rnd.random()
                if op < 0.3 and line:
                    j = rnd.randrange(len(line))
                    copy[i] = line[:j] + line[j + 1 :]
                elif op < 0.5:
                    copy[i] = line.replace("、", "．", 1).replace("一", "⼀", 1)
                elif op < 0.7:
                    copy.insert(i, "\t".join(["", line, ""]))
                else:
                    copy[i] = line + rnd.choice(["。", "：", "情况", "（续）", "\t1"])
            mutated.append("\n".join(copy))
    return [read_text(t) for t in texts + mutated]


def test_the_filtered_finder_finds_what_scoring_every_block_finds() -> None:
    for doc in documents():
        assert heading_candidates(doc) == scoring_every_block(doc)
        find_headings(doc)  # and picks among the same candidates
