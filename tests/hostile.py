"""Hostile and awkward files, made by the tests themselves (issue 15).

* `inflating_docx`: a small .docx whose document.xml inflates to tens of MiB of ordinary
  looking paragraphs (varied digits, so the compression ratio stays that of a real file and
  only the element and byte bounds can stop it);
* `pdf_stream_bomb`: a ~1 MiB PDF whose one content stream inflates to 1 GiB;
* `dense_pdf`: an 80-page PDF of ~100 KB, every page packed with small positioned words,
  the costliest shape for a PDF layout reader;
* `encrypted_pdf`: a one-page PDF encrypted with a user password (RC4, standard security
  handler revision 2, written here: no PDF library is needed to make it).

The PDFs are written object by object with a correct cross-reference table, so a reader
gets as far as it would with a real file.
"""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
import zlib

MiB = 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_of(document_xml_chunks: list[bytes]) -> bytes:
    """A zip holding [Content_Types].xml and word/document.xml made of these chunks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for chunk in document_xml_chunks:
                member.write(chunk)
    return buf.getvalue()


def inflating_docx(unpacked: int = 60 * MiB, seed: int = 15) -> bytes:
    """~`unpacked` bytes of document.xml: paragraphs of varied numbers, packed ~20:1 (as the
    issue's 3 MB file that inflated to 60 MB), so the ratio bound alone does not stop it."""
    rng = random.Random(seed)
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
    # One MiB of varied paragraphs, repeated: deflate's window is 32 KiB, so the repeats
    # pack no better than the first copy.
    block = "".join(f"<w:p><w:r><w:t>第{rng.randrange(10)}项 {rng.randrange(10)}{rng.choice('，。；')}</w:t></w:r></w:p>"
                    for _ in range(20000)).encode()
    return docx_of([head, *[block] * max(1, unpacked // len(block)), b"</w:body></w:document>"])


class PdfWriter:
    """The smallest honest PDF writer: numbered objects, a cross-reference table, a trailer."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def stream(self, data: bytes, extra: bytes = b"", compress: bool = True) -> int:
        payload = zlib.compress(data, 9) if compress else data
        flate = b"/Filter /FlateDecode " if compress else b""
        return self.add(b"<< " + flate + extra + b"/Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream")

    def reserve(self) -> int:
        return self.add(b"")

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def pages(self, contents: list[int]) -> int:
        """A page tree of one Helvetica-font page per content stream; returns the catalog."""
        font = self.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        tree = self.reserve()
        kids = [self.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                         b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (tree, font, c))
                for c in contents]
        refs = b" ".join(b"%d 0 R" % k for k in kids)
        self.set(tree, b"<< /Type /Pages /Kids [" + refs + b"] /Count %d >>" % len(kids))
        return self.add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree)

    def finish(self, root: int, trailer_extra: bytes = b"") -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for n, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += (b"trailer\n<< /Size %d /Root %d 0 R " % (len(self.objects) + 1, root) + trailer_extra
                + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
        return bytes(out)


def deflate_repeated(block: bytes, times: int) -> bytes:
    """A zlib stream of `block` repeated `times` times, built from one compressed copy:
    after a full flush the compressor's output for the same input is the same bytes, so the
    copy is repeated as is (compressing 1 GiB would take the test ten seconds)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    c.compress(block)
    c.flush(zlib.Z_FULL_FLUSH)
    one = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(block, checksum)
    # zlib header, the copies, an empty final block (fixed Huffman), the Adler-32 of it all.
    return b"\x78\xda" + one * times + b"\x03\x00" + checksum.to_bytes(4, "big")


def pdf_stream_bomb(inflated: int = 1024 * MiB) -> bytes:
    """One page whose content stream is `inflated` bytes of spaces, deflated (~1 MiB)."""
    block = b" " * (4 * MiB)
    packed = deflate_repeated(block, inflated // len(block))
    w = PdfWriter()
    content = w.add(b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream")
    return w.finish(w.pages([content]))


def dense_pdf(pages: int = 80, lines: int = 100, words: int = 30, seed: int = 15) -> bytes:
    """`pages` pages each of `lines` lines of `words` tiny numbers (~100 KB in all, like the
    issue's 83-146 KB file): a quarter of a million words to place."""
    rng = random.Random(seed)
    w = PdfWriter()
    contents = []
    for _ in range(pages):
        ops = [b"BT /F1 5 Tf 20 830 Td"]
        for _ in range(lines):
            ops.append(b" ".join(b"(%d) Tj 18 0 Td" % rng.randrange(100) for _ in range(words)))
            ops.append(b"%d -8 Td" % (-18 * words))
        ops.append(b"ET")
        contents.append(w.stream(b"\n".join(ops)))
    return w.finish(w.pages(contents))


# -- an encrypted PDF: standard security handler, revision 2 (40-bit RC4) -------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """A one-page text PDF that opens only with `user_password` (PDF 1.7 §7.6.3, R2)."""
    file_id = hashlib.md5(b"nianbao-issue-15").digest()
    permissions = -4
    o_key = hashlib.md5((owner_password + _PAD)[:32]).digest()[:5]
    o_value = _rc4(o_key, (user_password + _PAD)[:32])
    key = hashlib.md5((user_password + _PAD)[:32] + o_value + permissions.to_bytes(4, "little", signed=True)
                      + file_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    w = PdfWriter()
    text = b"BT /F1 12 Tf 72 720 Td (2024 annual report on government information disclosure) Tj ET"
    # Strings and streams are encrypted with a key per object (number and generation).
    number = 1
    object_key = hashlib.md5(key + number.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    content = w.stream(_rc4(object_key, text), compress=False)
    assert content == number
    root = w.pages([content])
    encrypt = w.add(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s> >>"
                    % (permissions, o_value.hex().encode(), u_value.hex().encode()))
    ids = b"<%s>" % file_id.hex().encode()
    return w.finish(root, b"/Encrypt %d 0 R /ID [%s %s] " % (encrypt, ids, ids))
