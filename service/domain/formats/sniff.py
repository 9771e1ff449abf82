"""The media type of a file from its first bytes, for uploads sent without a useful one.

Browsers label uploads by file extension, often as application/octet-stream; the bytes
say what the file is. Only the types the service reads are told apart.
"""

from __future__ import annotations

import codecs

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
# The legacy binary Word format (OLE compound file): recognised only to refuse it clearly.
MSWORD = "application/msword"
ZIP = "application/zip"

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<div",
                 b"<p>", b"<p ", b"<?xml")


def sniff(data: bytes) -> str:
    """PDF, DOCX (a zip holding word/), legacy .doc, HTML, or text/plain for anything else."""
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-":
        return PDF
    if head[:4] == b"PK\x03\x04":
        # Word's own zips name [Content_Types].xml and word/ near the start; other zips
        # (and truncated ones) are still sent to the DOCX reader, which says what is wrong.
        return DOCX
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return MSWORD
    text = head
    for bom in (codecs.BOM_UTF8,):
        if text.startswith(bom):
            text = text[len(bom):]
    start = text.lstrip()[:64].lower()
    if start.startswith(b"<") and any(start.startswith(m) for m in _HTML_MARKERS):
        return HTML
    if start.startswith(b"<") and b"<table" in head.lower():
        return HTML
    return TEXT
