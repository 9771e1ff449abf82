"""PDFium is native code: a hostile PDF must come back as a DocumentError, never a crash.

Every malformed file of `hostile_pdfs` (cut off at many points, garbage after a valid
header, random bytes flipped in real reports, a page tree of a billion pages or one that
holds itself, references in a ring, a form that draws itself, nesting 200,000 deep, more
objects than a page may hold) is read in a child process, so a segfault or an abort in
PDFium shows as the child dying (and names the file it died on) instead of taking pytest
down with it. Then the reader's bounds, one by one, and encryption.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import hostile_pdfs as H
from golden_support import GOLDEN
from service.domain.formats import DocumentError, read_pdf
from service.domain.formats.pdf import PdfLimits

TESTS = Path(__file__).parent
REPORT = (GOLDEN / "corpus-huaian-hongze-2024-pdf" / "input.pdf").read_bytes()

# name → the reasons the reader may give (a file that still reads is "ok").
CASES: dict[str, tuple[bytes, set[str]]] = {
    "huge page count": (H.huge_page_count(), {"ok"}),
    "200,000 kids": (H.many_kids(), {"too-large"}),
    "page tree holds itself": (H.self_referring_page_tree(), {"corrupt", "ok"}),
    "references in a ring": (H.recursive_references(), {"corrupt", "no-text"}),
    "form draws itself": (H.self_drawing_form(), {"ok"}),
    "arrays nested 200,000 deep": (H.deep_nesting(), {"ok", "corrupt"}),
    "60,000 paths on a page": (H.many_paths(60_000), {"too-large"}),
    "header then garbage": (H.garbage_after_header(1), {"corrupt"}),
    "header then more garbage": (H.garbage_after_header(2, 200_000), {"corrupt"}),
    "only the header": (b"%PDF-1.7\n", {"corrupt"}),
    **{f"report cut at {n}": (REPORT[:n], {"corrupt"}) for n in (20, 1000, 4000, 60_000, len(REPORT) // 2, len(REPORT) - 200)},
    **{f"report with bytes flipped #{s}": (H.mutated(REPORT, s), {"ok", "corrupt", "no-text"}) for s in range(6)},
}

CHILD = textwrap.dedent("""
    import json, sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from service.domain.formats import DocumentError, read_pdf
    for path in sys.argv[1:]:
        print(json.dumps({{"start": path}}), flush=True)
        try:
            doc = read_pdf(open(path, "rb").read())
            print(json.dumps({{"path": path, "reason": "ok", "blocks": len(doc.blocks)}}), flush=True)
        except DocumentError as exc:
            print(json.dumps({{"path": path, "reason": exc.reason, "message": str(exc)}}), flush=True)
""")


def test_hostile_pdfs_never_crash_the_process(tmp_path: Path) -> None:
    paths = {}
    for n, (name, (data, _)) in enumerate(CASES.items()):
        paths[name] = tmp_path / f"{n}.pdf"
        paths[name].write_bytes(data)
    by_path = {str(p): name for name, p in paths.items()}
    code = CHILD.format(root=str(TESTS.parent), tests=str(TESTS))
    proc = subprocess.run([sys.executable, "-c", code, *map(str, paths.values())],
                          capture_output=True, text=True, timeout=300)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    started = [by_path[x["start"]] for x in lines if "start" in x]
    assert proc.returncode == 0, f"the reader died ({proc.returncode}) on {started[-1]!r}: {proc.stderr[-2000:]}"
    results = {by_path[x["path"]]: x for x in lines if "path" in x}
    assert set(results) == set(CASES)
    for name, (_, allowed) in CASES.items():
        assert results[name]["reason"] in allowed, (name, results[name])
        assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("limits", "needle"),
    [
        (PdfLimits(pages=4), "more than 4 pages"),
        (PdfLimits(chars_per_page=100), "more than 100 characters"),
        (PdfLimits(objects_per_page=100), "more than 100 objects"),
        (PdfLimits(segments_per_page=100), "more than 100 path segments"),
        (PdfLimits(seconds=0.0), "longer than 0 s"),
    ],
)
def test_each_bound_refuses_a_pdf_past_it(limits: PdfLimits, needle: str) -> None:
    with pytest.raises(DocumentError) as exc:
        read_pdf(REPORT, limits)
    assert exc.value.reason == "too-large"
    assert needle in str(exc.value)


def test_the_default_bounds_hold_every_corpus_pdf() -> None:
    for path in GOLDEN.glob("corpus-*-pdf/input.pdf"):
        assert read_pdf(path.read_bytes()).blocks


def _encrypted(user_password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", canPrint=0)
    c = canvas.Canvas(buf, encrypt=enc)
    c.drawString(72, 720, "Hello report")
    c.save()
    return buf.getvalue()


def test_a_password_protected_pdf_is_named_encrypted() -> None:
    with pytest.raises(DocumentError) as exc:
        read_pdf(_encrypted("secret"))
    assert exc.value.reason == "encrypted"
    assert "encrypted" in str(exc.value) and "password" in str(exc.value)


def test_a_pdf_encrypted_without_a_user_password_reads() -> None:
    # Owner-password-only PDFs (print/copy restrictions) open for anyone: so for PDFium.
    doc = read_pdf(_encrypted(""))
    assert [b.text for b in doc.blocks] == ["Hello report"]


def test_pdfium_is_called_by_one_thread_at_a_time() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        docs = list(pool.map(read_pdf, [REPORT] * 8))
    first = [(b.text, [c.text for c in b.cells or []]) for b in docs[0].blocks]
    assert all([(b.text, [c.text for c in b.cells or []]) for b in d.blocks] == first for d in docs)
