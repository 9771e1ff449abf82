"""What a file's first bytes say it is, for files sent without a useful media type.

Browsers label uploads by file extension, often as application/octet-stream; the bytes say
what the file is. Each test here looks at the head of a file (`HEAD` bytes) for one format;
`registry.FORMATS` pairs them with their formats. The signatures start with different
bytes (``%``, ``PK``, the OLE magic, ``<``), so at most one test accepts a head.
"""

from __future__ import annotations

import codecs

HEAD = 1024

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<div",
                 b"<p>", b"<p ", b"<?xml")


def is_pdf(head: bytes) -> bool:
    return head.lstrip()[:5] == b"%PDF-"


def is_zip(head: bytes) -> bool:
    # Word's own zips name [Content_Types].xml and word/ near the start; other zips (and
    # truncated ones) are still sent to the .docx reader, which says what is wrong.
    return head[:4] == b"PK\x03\x04"


def is_ole(head: bytes) -> bool:
    """The legacy binary Word format (OLE compound file)."""
    return head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_html(head: bytes) -> bool:
    text = head[len(codecs.BOM_UTF8):] if head.startswith(codecs.BOM_UTF8) else head
    start = text.lstrip()[:64].lower()
    if not start.startswith(b"<"):
        return False
    return any(start.startswith(m) for m in _HTML_MARKERS) or b"<table" in head.lower()
