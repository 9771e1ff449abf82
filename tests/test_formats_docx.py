"""Word: every seed, rendered as a .docx with merged cells, gives the same tables as its text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from golden_support import GOLDEN
from renderings import comparable_tables, to_docx
from service.domain.formats import DocumentError, parse_docx, read_docx
from service.domain.formats import docx as docx_reader
from service.domain.pipeline import parse_bytes

SEEDS = sorted(p for p in GOLDEN.glob("seed-*/input.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.parent.name)
def test_seed_as_docx_gives_the_same_tables(seed: Path) -> None:
    text_result = parse_bytes(seed.read_bytes())
    result = parse_docx(to_docx(text_result))
    assert result.template == text_result.template
    assert comparable_tables(result) == comparable_tables(text_result)
    assert [s.key for s in result.sections] == [s.key for s in text_result.sections]


def _docx(build) -> bytes:  # type: ignore[no-untyped-def]
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_merged_cells_both_ways_become_empty_cells() -> None:
    def build(d):  # type: ignore[no-untyped-def]
        d.add_paragraph("前言")
        t = d.add_table(rows=3, cols=3)
        t.cell(0, 0).merge(t.cell(1, 1)).paragraphs[0].text = "合并"
        t.cell(0, 2).paragraphs[0].text = "b"
        t.cell(1, 2).paragraphs[0].text = "c"
        t.cell(2, 0).paragraphs[0].text = "d"
        t.cell(2, 1).merge(t.cell(2, 2)).paragraphs[0].text = "e"

    doc = read_docx(_docx(build))
    assert doc.blocks[0].text == "前言"
    rows = [[(c.text, c.ref) for c in b.cells or []] for b in doc.blocks[1:]]
    assert rows == [
        [("合并", "T1R1C1"), ("", None), ("b", "T1R1C2")],
        [("", "T1R2C1"), ("", None), ("c", "T1R2C2")],
        [("d", "T1R3C1"), ("e", "T1R3C2"), ("", None)],
    ]


def test_issues_locate_the_word_cell() -> None:
    text_result = parse_bytes((GOLDEN / "seed-002" / "input.txt").read_bytes())
    text_result.tables.reviews_litigation.rows[0].values["total"] = 999  # type: ignore[union-attr]
    result = parse_docx(to_docx(text_result))
    hit = next(i for i in result.issues if i.location.row == "review" and i.location.column == "total")
    assert hit.code == "review-total-mismatch"
    assert hit.location.cell is not None and hit.location.cell.startswith("T3R4C")


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_truncated_archive_is_refused_as_corrupt() -> None:
    data = to_docx(parse_bytes((GOLDEN / "seed-000" / "input.txt").read_bytes()))
    with pytest.raises(DocumentError) as exc:
        read_docx(data[: len(data) // 2])
    assert exc.value.reason == "corrupt"


def test_zip_bomb_is_refused_before_it_is_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _zip({"word/document.xml": b"<w:document>" + b" " * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(DocumentError) as exc:
        read_docx(bomb)
    assert exc.value.reason == "too-large"
    monkeypatch.setattr(docx_reader, "MAX_DOCUMENT_XML", 1000)
    with pytest.raises(DocumentError) as exc:
        read_docx(_zip({"word/document.xml": b"x" * 2000}, zipfile.ZIP_STORED))
    assert exc.value.reason == "too-large"


def test_too_many_members_and_missing_document_are_refused() -> None:
    with pytest.raises(DocumentError) as exc:
        read_docx(_zip({f"f{i}": b"" for i in range(docx_reader.MAX_MEMBERS + 1)}))
    assert exc.value.reason == "too-large"
    with pytest.raises(DocumentError) as exc:
        read_docx(_zip({"a.txt": b"x"}))
    assert exc.value.reason == "unrecognised"


def test_entities_are_not_expanded_and_bad_xml_is_corrupt() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")
    doc = read_docx(_zip({"word/document.xml": laughs}))
    assert "aaaa" not in "".join(b.text for b in doc.blocks)
    with pytest.raises(DocumentError) as exc:
        read_docx(_zip({"word/document.xml": b"<w:document><unclosed>"}))
    assert exc.value.reason == "corrupt"
