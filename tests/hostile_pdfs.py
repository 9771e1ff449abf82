"""Malformed and hostile PDFs, made byte by byte, for the PDF reader's safety tests.

Each is what a careless or malicious client could send labelled application/pdf: cut off,
garbage after a valid header, a page tree that claims a billion pages or refers to itself,
objects that contain themselves, a form that draws itself, nesting past any parser's stack.
"""

from __future__ import annotations

import random


def assemble(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF of the given object bodies (numbered from 1) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_page(content: bytes = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", resources: bytes = b"") -> bytes:
    """A valid one-page PDF with Helvetica text."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> %s>> /Contents 4 0 R >>" % resources,
        stream(content),
        FONT,
    ])


def huge_page_count() -> bytes:
    """A page tree that says it has a billion pages (and holds one)."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        FONT,
    ])


def many_kids(n: int = 200_000) -> bytes:
    """A page tree whose one node lists the same page `n` times."""
    kids = b" ".join([b"3 0 R"] * n)
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        FONT,
    ])


def self_referring_page_tree() -> bytes:
    """A page tree node that is its own kid (and its own parent)."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        FONT,
    ])


def recursive_references() -> bytes:
    """Objects that are references to each other in a ring, used as the page's resources,
    media box and contents."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Resources 7 0 R /Contents 8 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        FONT,
        b"7 0 R",
        b"8 0 R",
        b"6 0 R",
    ])


def self_drawing_form() -> bytes:
    """A form XObject whose content draws itself, from a page with text."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET /X Do"),
        FONT,
        stream(b"0 0 m 100 0 l S /X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X 6 0 R >> >> "),
    ])


def deep_nesting(depth: int = 200_000) -> bytes:
    """An array nested `depth` deep in the page dictionary."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /X " + b"[" * depth + b"]" * depth
        + b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        FONT,
    ])


def many_paths(n: int) -> bytes:
    """A page of `n` tiny ruled squares: far past any report's count of objects."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n" + b"".join(
        b"%d %d 4 4 re S\n" % (10 + (i % 140) * 4, 10 + (i // 140) % 190 * 4) for i in range(n))
    return text_page(content)


def garbage_after_header(seed: int, size: int = 20_000) -> bytes:
    rng = random.Random(seed)
    return b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(size))


def mutated(data: bytes, seed: int, flips: int = 40) -> bytes:
    """`data` with `flips` random bytes overwritten (past the header)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(16, len(out))] = rng.randrange(256)
    return bytes(out)
