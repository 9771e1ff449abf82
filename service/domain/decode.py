"""Bytes to text: UTF-8 or, as many government systems still send, GB18030/GBK.

The declared charset is honoured when there is one (GBK and GB2312 are read as GB18030,
their superset, since clerks' "GBK" files routinely hold GB18030-only characters). Without
one: a BOM decides; else strict UTF-8; else strict GB18030. Nothing is decoded with
replacement characters: bytes that fit no encoding are a bad request, not a report.
"""

from __future__ import annotations

import codecs

_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030"}


class DecodeError(ValueError):
    """The body is not text in the declared (or any supported) encoding."""

    def __init__(self, message: str, offset: int | None = None, charset: str | None = None):
        super().__init__(message)
        self.offset = offset
        self.charset = charset


def _codec(charset: str) -> str:
    name = charset.strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a name with a NUL byte in it
        raise DecodeError(f"unsupported charset {charset!r}", charset=charset) from None
    # rot13, base64, zlib, hex … are codecs but not text encodings: `bytes.decode` refuses
    # them with a LookupError, which would otherwise escape as a server error.
    if not getattr(info, "_is_text_encoding", True):
        raise DecodeError(f"unsupported charset {charset!r}", charset=charset)
    return info.name


def decode(data: bytes, charset: str | None = None) -> str:
    if charset:
        name = _codec(charset)
        if name in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            return data.decode(name)
        except UnicodeError as exc:
            # Not only UnicodeDecodeError: idna and `undefined` raise a bare UnicodeError.
            raise DecodeError(
                f"body is not valid {charset}", offset=getattr(exc, "start", None), charset=charset
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DecodeError(
            "body is neither UTF-8 nor GB18030 text", offset=first_bad
        ) from None


def _strict(data: bytes, name: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"body is not valid {name}", offset=exc.start, charset=name) from None
