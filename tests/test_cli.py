"""`nianbao parse FILE --json` prints the JSON; exit status says whether the report is valid."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from reports import report, values
from service.cli import main

SEED = Path(__file__).parent / "golden" / "seed-002" / "input.txt"


def test_parse_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", str(SEED)]) == 0
    out = msgspec.json.decode(capsys.readouterr().out)
    assert out["template"] == "2021" and out["summary"]["valid"] is True
    assert "tables" in out and "sections" in out


def test_validate_flag_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    path = tmp_path / "bad.txt"
    path.write_text(report(v), encoding="gb18030")
    assert main(["parse", "--json", "--validate", str(path)]) == 1
    out = msgspec.json.decode(capsys.readouterr().out)
    assert "tables" not in out
    assert [i["code"] for i in out["issues"]] == ["cell-likely-wrong"]


def test_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff\x80\xff\x80")
    assert main(["parse", str(path)]) == 2
    assert "x.txt" in capsys.readouterr().err


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "cell-likely-wrong" in capsys.readouterr().out


CORPUS_PDF = Path(__file__).parent / "golden" / "corpus-huaian-hongze-2024-pdf"


def test_parse_reads_other_formats_by_extension_or_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.read_text(encoding="utf-8")
    html = tmp_path / "report.html"
    html.write_text("<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body></html>", encoding="utf-8")
    assert main(["parse", "--json", "--validate", str(html)]) == 0
    assert msgspec.json.decode(capsys.readouterr().out)["template"] == "2021"
    (pdf,) = CORPUS_PDF.glob("input.*")
    unnamed = tmp_path / "upload.bin"
    unnamed.write_bytes(pdf.read_bytes())
    main(["parse", "--json", str(unnamed)])
    out = msgspec.json.decode(capsys.readouterr().out)
    assert out["template"] == "2021" and out["tables"]["applications"]["rows"]


def test_unreadable_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 truncated")
    assert main(["parse", str(path)]) == 2
    assert "broken.docx" in capsys.readouterr().err
