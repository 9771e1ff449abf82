"""`nianbao audit`: every report of a folder or zip, a workbook and CSV; bad files are rows."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports import report, values, zip_of as _zip
from service.audit.output import FINDINGS_SHEET, REPORTS_SHEET
from service.audit.sources import from_zip
from service.cli import main
from service.domain.archive import ArchiveError, ArchiveLimits, read_members

GOLDEN = Path(__file__).parent / "golden"


def _inputs() -> list[Path]:
    """Every report file of the golden cases: their inputs and the previous years beside them."""
    return sorted([*GOLDEN.glob("*/input.*"), *GOLDEN.glob("*/previous.*")])


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    book = load_workbook(path, read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    keys = [str(h).split()[-1] for h in rows[0]]
    return [dict(zip(keys, r, strict=True)) for r in rows[1:]]


def test_audit_of_the_golden_inputs(tmp_path: Path) -> None:
    out = tmp_path / "audit.xlsx"
    status = main(["audit", str(GOLDEN), "-o", str(out), "--jobs", "2"])
    reports = _sheet(out, REPORTS_SHEET)
    assert [r["file"] for r in reports] == [p.relative_to(GOLDEN).as_posix() for p in _inputs()]
    by_file = {r["file"]: r for r in reports}
    seed = by_file["seed-002/input.txt"]
    assert seed["verdict"] == "valid" and seed["template"] == "2021" and seed["agency"]
    # hongze-2023 prints real table-4 errors (see its golden).
    assert by_file["corpus-huaian-hongze-2023-layout/input.txt"]["verdict"] == "errors"
    assert status == 1
    findings = _sheet(out, FINDINGS_SHEET)
    assert sum(1 for f in findings if f["file"] == "seed-000/input.txt") == by_file["seed-000/input.txt"]["warnings"]
    assert {f["severity"] for f in findings} <= {"error", "warning", "info"}
    with (tmp_path / "audit-reports.csv").open(encoding="utf-8-sig") as f:
        assert [r["file"] for r in csv.DictReader(f)] == [r["file"] for r in reports]
    assert (tmp_path / "audit-findings.csv").read_text("utf-8-sig").count("\n") == len(findings) + 1


def test_audit_of_a_zip_with_bad_files_among_good(tmp_path: Path) -> None:
    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    archive = tmp_path / "province.zip"
    archive.write_bytes(_zip({
        "市局/good.txt": report().encode("utf-8"),
        "市局/wrong.txt": report(v).encode("gb18030"),
        "市局/broken.docx": b"PK\x03\x04 truncated",
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "../escape.txt": report().encode("utf-8"),
        "notes.json": b"{}",
    }))
    out = tmp_path / "a.xlsx"
    assert main(["audit", str(archive), "-o", str(out), "--jobs", "2"]) == 1
    rows = {r["file"]: r for r in _sheet(out, REPORTS_SHEET)}
    assert set(rows) == {"市局/good.txt", "市局/wrong.txt", "市局/broken.docx", "old.doc"}
    assert rows["市局/good.txt"]["verdict"] == "valid"
    assert rows["市局/wrong.txt"]["verdict"] == "errors" and rows["市局/wrong.txt"]["errors"] == 1
    assert rows["市局/broken.docx"]["verdict"] == "unreadable" and rows["市局/broken.docx"]["reason"]
    assert ".docx" in str(rows["old.doc"]["reason"])
    (finding,) = [f for f in _sheet(out, FINDINGS_SHEET) if f["file"] == "市局/wrong.txt"]
    assert (finding["code"], finding["table"], finding["row"], finding["column"]) == (
        "cell-likely-wrong", "applications", "granted", "natural_person")


def test_zip_bounds_are_checked_on_the_bytes_read() -> None:
    data = _zip({"a.txt": b"x" * 5000, "b.txt": b"y" * 10})
    limits = ArchiveLimits(max_members=10, max_member_bytes=1000, max_total_bytes=10_000)
    members = {m.name: m for m in read_members(data, limits)}
    assert members["a.txt"].data is None and "1000" in str(members["a.txt"].reason)
    assert members["b.txt"].data == b"y" * 10
    with pytest.raises(ArchiveError):
        list(read_members(data, ArchiveLimits(max_members=1, max_member_bytes=10**6, max_total_bytes=10**6)))
    with pytest.raises(ArchiveError):
        list(read_members(data, ArchiveLimits(max_members=10, max_member_bytes=10**6, max_total_bytes=100)))


def test_zip_header_that_lies_about_sizes_is_still_bounded() -> None:
    """A central directory claiming 10 bytes for a 100 kB member: the bytes read decide."""
    data = bytearray(_zip({"big.txt": b"z" * 100_000}))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")  # uncompressed size
    limits = ArchiveLimits(max_members=10, max_member_bytes=1000, max_total_bytes=10**6)
    (member,) = list(read_members(bytes(data), limits))
    assert member.data is None


def test_gbk_member_names_and_traversal() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("AAAA.txt", "一、总体情况\n")
        z.writestr("/etc/passwd.txt", "x")
        z.writestr("C:/evil.txt", "x")
    # Windows tools write GBK names without the UTF-8 flag: same length as AAAA.
    data = buf.getvalue().replace(b"AAAA.txt", "年报.txt".encode("gbk"))
    names = [s.name for s in from_zip(data)]
    assert names == ["年报.txt"]


def test_audit_of_an_empty_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path), "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "no report files" in capsys.readouterr().err


def test_shards_split_the_files_without_overlap(tmp_path: Path) -> None:
    names: list[str] = []
    for index in range(3):
        out = tmp_path / f"audit-{index}.xlsx"
        status = main(["audit", str(GOLDEN), "-o", str(out), "--jobs", "1", "--shards", "3",
                       "--shard-index", str(index), "--exit-zero"])
        assert status == 0
        names += [str(r["file"]) for r in _sheet(out, REPORTS_SHEET)]
    assert sorted(names) == [p.relative_to(GOLDEN).as_posix() for p in _inputs()]
    assert main(["audit", str(GOLDEN), "--shards", "2", "--shard-index", "2"]) == 2


def test_progress_bar_on_a_terminal() -> None:
    from rich.console import Console

    from service.audit.command import _run
    from service.audit.sources import sources

    out = io.StringIO()
    items = list(sources(GOLDEN / "seed-001"))
    results = _run(items, 1, Console(file=out, force_terminal=True, width=100))
    assert [r.verdict for r in results] == ["valid"]
    assert "审核 audit" in out.getvalue() and "1/1" in out.getvalue()
