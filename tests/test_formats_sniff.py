"""Each first-byte test accepts its format's signature and nothing of the others'."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from service.domain.formats.sniff import is_html, is_ole, is_pdf, is_zip

HEADS: dict[str, list[bytes]] = {
    "pdf": [b"%PDF-1.7\n", b" \r\n%PDF-1.4"],
    "zip": [b"PK\x03\x04\x14\x00\x06\x00"],
    "ole": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"],
    "html": [b"\xef\xbb\xbf<!DOCTYPE html>", b"  <HTML lang=zh>", b"<p>", b"<?xml version='1.0'?>",
             b"<x-box>\n<TABLE border=1>"],
    "none": [b"", b"2023\xe5\xb9\xb4", b"<<not markup>>", b"PK\x03", b"\xef\xbb\xbf%PDF-1.7"],
}
TESTS: dict[str, Callable[[bytes], bool]] = {"pdf": is_pdf, "zip": is_zip, "ole": is_ole, "html": is_html}


@pytest.mark.parametrize("kind", sorted(HEADS))
def test_a_head_is_accepted_by_its_own_test_only(kind: str) -> None:
    for head in HEADS[kind]:
        accepted = {name for name, test in TESTS.items() if test(head)}
        assert accepted == ({kind} if kind in TESTS else set()), head
