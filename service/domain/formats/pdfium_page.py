"""What one PDF page holds, read through PDFium: its characters with their boxes and its
ruling lines, in display coordinates (points, origin at the top left of the page as shown,
after the page's /Rotate).

PDFium (through pypdfium2's raw ctypes bindings) does the parsing in native code; this
module only copies out what the reader needs, so the rest of the reader is plain Python
over small tuples. Every loop here is bounded by `PageLimits`: a hostile page with millions
of characters or path segments is refused before it is walked, not after.
"""

from __future__ import annotations

import ctypes
import math
import struct
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from service.domain.formats.errors import DocumentError


class Char(NamedTuple):
    """A character as drawn: text and box (x0 < x1, top < bottom, display space), and how
    it is turned on the page as shown: quarter turns counter-clockwise, 0 upright, 1 reading
    up the page, 2 upside down, 3 reading down (turned text reads along its own axis)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    turn: int


class Edge(NamedTuple):
    """A horizontal (`x0..x1` at `top == bottom`) or vertical (`top..bottom` at `x0 == x1`)
    ruling segment: a stroked line or one side of a rectangle."""

    orientation: str  # "h" or "v"
    x0: float
    top: float
    x1: float
    bottom: float


class PageLimits(NamedTuple):
    chars: int
    objects: int
    segments: int
    form_depth: int


class PageContent(NamedTuple):
    chars: list[Char]
    edges: list[Edge]


# A segment that leans by less than this (points) over its length still counts as a ruling.
_AXIS_TOLERANCE = 0.5
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _View(NamedTuple):
    """Maps PDF user space (y up) to the page as displayed (y down), /Rotate applied."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int  # quarter turns clockwise

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 1:
            return y - self.bottom, x - self.left
        if r == 2:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def box(self, l: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
        xa, ya = self.point(l, b)
        xb, yb = self.point(r, t)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def _view(page: int) -> _View:
    rect = pdfium_c.FS_RECTF()
    if not _page_box(page, ctypes.addressof(rect)):
        raise DocumentError("corrupt", "a page of the PDF has no size")
    return _View(rect.left, rect.bottom, rect.right, rect.top, _page_rotation(page) % 4)


def read_page(pdf: pdfium.PdfDocument, index: int, limits: PageLimits) -> PageContent:
    """Page `index`'s characters and ruling edges; DocumentError("corrupt") for a page
    PDFium cannot load, ("too-large") past the limits. The page and its text are held only
    for the call (raw handles: pypdfium2's page objects cost more to track and close than
    the reader spends on a page's rulings)."""
    page = _load_page(ctypes.cast(pdf.raw, ctypes.c_void_p).value, index)
    if not page:
        raise DocumentError("corrupt", "a page of the PDF is damaged and cannot be read")
    try:
        view = _view(page)
        textpage = _load_text(page)
        if not textpage:
            raise DocumentError("corrupt", "the text of a page of the PDF cannot be read")
        try:
            chars = _chars(textpage, view, limits.chars)
        finally:
            _close_text(textpage)
        return PageContent(chars, _edges(page, view, limits))
    finally:
        _close_page(page)


def _native(name: str, restype: Any, *argtypes: Any) -> Any:
    """A private prototype of a PDFium function taking and returning plain addresses and
    numbers: the per-character calls are the reader's hot loop, and pypdfium2's shared
    prototypes wrap every handle in a pointer object (changing those would change them for
    every user of pypdfium2 in the process)."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"PDFium has no {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VP, _I, _D, _F = ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_float
_load_page = _native("FPDF_LoadPage", _VP, _VP, _I)
_close_page = _native("FPDF_ClosePage", None, _VP)
_load_text = _native("FPDFText_LoadPage", _VP, _VP)
_close_text = _native("FPDFText_ClosePage", None, _VP)
_page_box = _native("FPDF_GetPageBoundingBox", _I, _VP, _VP)
_page_rotation = _native("FPDFPage_GetRotation", _I, _VP)
_count_chars = _native("FPDFText_CountChars", _I, _VP)
_get_unicode = _native("FPDFText_GetUnicode", ctypes.c_uint, _VP, _I)
_get_text = _native("FPDFText_GetText", _I, _VP, _I, _I, _VP)
_is_generated = _native("FPDFText_IsGenerated", _I, _VP, _I)
_font_size = _native("FPDFText_GetFontSize", _D, _VP, _I)
_char_matrix = _native("FPDFText_GetMatrix", _I, _VP, _I, _VP)
_loose_box = _native("FPDFText_GetLooseCharBox", _I, _VP, _I, _VP)
_tight_box = _native("FPDFText_GetCharBox", _I, _VP, _I, _VP, _VP, _VP, _VP)
_char_origin = _native("FPDFText_GetCharOrigin", _I, _VP, _I, _VP, _VP)
_SIX_FLOATS = struct.Struct("6f").unpack_from  # FS_MATRIX
_FOUR_FLOATS = struct.Struct("4f").unpack_from  # FS_RECTF
_TWO_FLOATS = struct.Struct("2f").unpack_from
# Line breaks PDFium reports between runs, and code points that are no character (lone
# surrogates come out of the UTF-16 decoding as U+FFFD).
_SKIP_TEXT = frozenset("\x00\n\r\ufffe\uffff\ufffd")


def _address(obj: ctypes._CData) -> int:
    return ctypes.addressof(obj)


class _Scratch:
    """Out-parameters for the native calls, allocated once per page."""

    def __init__(self) -> None:
        self.rect, self.matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        self.d = [_D() for _ in range(4)]
        self.rect_p, self.matrix_p = _address(self.rect), _address(self.matrix)
        self.d_p = [_address(v) for v in self.d]


def _chars(tp: int, view: _View, limit: int) -> list[Char]:
    """Each drawn character with its box as pdfminer would give it: as wide as its
    advance, one em high, sitting on its baseline, so characters of different fonts on one
    line share a top (PDFium's loose box, moved onto the baseline).

    PDFium's loose box comes out in unscaled font units (20 times too large) for text in a
    vertical-writing font under a scaled text matrix, as WPS writes merged-cell labels: a
    box over 2.2 em is not trusted, the em square is centred on the glyph box instead.

    The loop is the reader's hottest: names bound locally, tuples made directly."""
    n = _count_chars(tp)
    if n < 0:
        raise DocumentError("corrupt", "the text of a page of the PDF cannot be read")
    if n > limit:
        raise DocumentError("too-large", f"a page of the PDF has more than {limit} characters")
    out: list[Char] = []
    k = _Scratch()
    r, m, oy = k.rect, k.matrix, k.d[1]
    unpack_matrix, unpack_rect = _SIX_FLOATS, _FOUR_FLOATS
    rect_p, matrix_p, ox_p, oy_p = k.rect_p, k.matrix_p, k.d_p[0], k.d_p[1]
    upright_page = view.rotation == 0
    vleft, vtop = view.left, view.top
    make, append = tuple.__new__, out.append
    matrix, font_size, loose_box, origin = _char_matrix, _font_size, _loose_box, _char_origin
    for i, ch in enumerate(_text(tp, n)):
        if ch in _SKIP_TEXT:
            continue
        # PDFium adds spaces of its own between text runs: not drawn, and the reader
        # makes its own from the positions.
        if ch == " " and _is_generated(tp, i) == 1:
            continue
        if not matrix(tp, i, matrix_p):
            continue
        a, b, c, d, _, f = unpack_matrix(m)  # one call: ctypes field reads cost more
        em = font_size(tp, i) * abs(a * d - b * c) ** 0.5
        if not 0 < em < 1e5:  # NaN, zero, absurd
            em = 0.0
        turn = 0 if upright_page and a > 0 and -0.02 * a <= b <= 0.02 * a else _turn(math.atan2(b, a), view.rotation)
        upright = turn == 0
        if loose_box(tp, i, rect_p):
            left, top, right, bottom = unpack_rect(r)  # FS_RECTF: left, top, right, bottom
            if (em == 0 and math.isfinite(left + bottom + right + top)) or (
                right - left <= 2.2 * em + 1 and top - bottom <= 2.2 * em + 1 and left <= right and bottom <= top
            ):
                if not upright_page:
                    append(make(Char, (ch, *view.box(left, bottom, right, top), turn)))
                elif upright and em > 0:
                    # The baseline: the text object's (f), one call fewer than asking for
                    # the character's origin, when the box sits on it (horizontal text);
                    # else (vertical writing moves each character down) its own origin.
                    if bottom <= f <= top:
                        y0 = vtop - f - 0.88 * em  # the baseline up by the ascent
                    elif origin(tp, i, ox_p, oy_p):
                        y0 = vtop - oy.value - 0.88 * em
                    else:
                        y0 = vtop - top
                    append(make(Char, (ch, left - vleft, y0, right - vleft, y0 + em, 0)))
                else:
                    append(make(Char, (ch, left - vleft, vtop - top, right - vleft, vtop - bottom, turn)))
                continue
        char = _centred(tp, i, ch, em, turn, view, k)
        if char is not None:
            append(char)
    return out


def _text(tp: int | None, n: int) -> str:
    """The page's characters in one call (UTF-16 from PDFium), one per index; or one call
    per character when that text does not line up with the character indices."""
    buf = ctypes.create_string_buffer(4 * n + 4)
    got = _get_text(tp, 0, n, ctypes.addressof(buf))
    text = buf.raw[: 2 * max(0, got - 1)].decode("utf-16-le", "replace")
    if len(text) == n:
        return text
    codes = (_get_unicode(tp, i) for i in range(n))
    return "".join(chr(c) if 0 < c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF else "\x00" for c in codes)


def _centred(tp: int | None, i: int, text: str, em: float, turn: int, view: _View, k: _Scratch) -> Char | None:
    """The character's em square centred on its glyph box."""
    if not _tight_box(tp, i, *k.d_p):  # left, right, bottom, top
        return None
    l, r, b, t = (v.value for v in k.d)
    if not all(math.isfinite(v) for v in (l, r, b, t)):
        return None
    cx, cy = (l + r) / 2, (b + t) / 2
    half = em / 2 if em > 0 else max(r - l, t - b) / 2
    return Char(text, *view.box(cx - half, cy - half, cx + half, cy + half), turn)


def _turn(angle: float, rotation: int) -> int:
    """The character's quarter turns (counter-clockwise) on the displayed page: its own
    rotation (radians, counter-clockwise) less the page's quarter turns (clockwise);
    a slant between quarter turns counts as the nearest."""
    if not math.isfinite(angle):
        return 0
    return (round(angle / (math.pi / 2)) - rotation) % 4


_count_objects = _native("FPDFPage_CountObjects", _I, _VP)
_get_object = _native("FPDFPage_GetObject", _VP, _VP, _I)
_object_type = _native("FPDFPageObj_GetType", _I, _VP)
_form_count = _native("FPDFFormObj_CountObjects", _I, _VP)
_form_object = _native("FPDFFormObj_GetObject", _VP, _VP, ctypes.c_ulong)
_object_matrix = _native("FPDFPageObj_GetMatrix", _I, _VP, _VP)
_PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM


class _Walk:
    """What the walk over a page's objects carries: the objects and segments it may still
    read, and the out-parameters of the native calls, allocated once per page rather than
    once per path (a ctypes structure costs more to make than the call that fills it)."""

    def __init__(self, limits: PageLimits) -> None:
        self.objects, self.segments = limits.objects, limits.segments
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_p = ctypes.addressof(self.matrix)
        self.xy = (_F * 2)()
        self.x_p = ctypes.addressof(self.xy)
        self.y_p = self.x_p + ctypes.sizeof(_F)

    def matrix_of(self, obj: int) -> _Matrix:
        if not _object_matrix(obj, self.matrix_p):
            return _IDENTITY
        return _SIX_FLOATS(self.matrix)


def _edges(raw: int, view: _View, limits: PageLimits) -> list[Edge]:
    walk = _Walk(limits)
    edges: list[Edge] = []
    count = _count_objects(raw)
    if count < 0:
        raise DocumentError("corrupt", "the objects of a page of the PDF cannot be read")
    if count > limits.objects:
        raise DocumentError("too-large", f"a page of the PDF has more than {limits.objects} objects")
    walk.objects -= count
    # Most objects are text: their type is asked for here, without a call per object.
    get_object, object_type = _get_object, _object_type
    for i in range(count):
        obj = get_object(raw, i)
        kind = object_type(obj) if obj else -1
        if kind == _PATH:
            _path_edges(obj, walk.matrix_of(obj), view, limits, walk, edges)
        elif kind == _FORM:
            _form_edges(obj, _IDENTITY, view, limits, 0, walk, edges)
    return edges


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """`inner` then `outer` (PDF row-vector convention)."""
    if outer is _IDENTITY:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _form_edges(form: int, outer: _Matrix, view: _View, limits: PageLimits,
                depth: int, walk: _Walk, edges: list[Edge]) -> None:
    """The rulings drawn inside a form XObject (and the forms inside it)."""
    if depth >= limits.form_depth:
        return  # forms nested deeper than any real document: their rulings are not read
    inner = _compose(walk.matrix_of(form), outer)
    count = max(0, _form_count(form))
    walk.objects -= count
    if walk.objects < 0:
        raise DocumentError("too-large", f"a page of the PDF has more than {limits.objects} objects")
    for i in range(count):
        obj = _form_object(form, i)
        kind = _object_type(obj) if obj else -1
        if kind == _PATH:
            _path_edges(obj, _compose(walk.matrix_of(obj), inner), view, limits, walk, edges)
        elif kind == _FORM:
            _form_edges(obj, inner, view, limits, depth + 1, walk, edges)


def _path_edges(obj: int, m: _Matrix, view: _View, limits: PageLimits,
                walk: _Walk, edges: list[Edge]) -> None:
    """Each straight piece of the path that runs along an axis, as pdfminer and pdfplumber
    see them: a rectangle gives its four sides, a line itself; curves are not rulings.

    The loop runs once per segment, the reader's second hottest: the transform and, on an
    unrotated page, the view are written out (the same operations as `view.point`, so the
    same floats), and a segment along neither axis is dropped here without a call."""
    n = _count_segments(obj)
    walk.segments -= max(0, n)
    if walk.segments < 0:
        raise DocumentError("too-large", f"a page of the PDF has more than {limits.segments} path segments")
    xy, xp, yp = walk.xy, walk.x_p, walk.y_p
    a, b, c, d, e, f = m
    point, upright, vleft, vtop = view.point, view.rotation == 0, view.left, view.top
    get_segment, get_point, segment_type, segment_close = _get_segment, _segment_point, _segment_type, _segment_close
    unpack, add, tol = _TWO_FLOATS, _add_edge, _AXIS_TOLERANCE
    sx = sy = lx = ly = 0.0
    started = False
    for i in range(n):
        seg = get_segment(obj, i)
        if not seg or not get_point(seg, xp, yp):
            continue
        x, y = unpack(xy)
        if upright:
            px, py = x * a + y * c + e - vleft, vtop - (x * b + y * d + f)
        else:
            px, py = point(x * a + y * c + e, x * b + y * d + f)
        kind = segment_type(seg)
        if kind == _MOVETO:
            sx, sy, lx, ly, started = px, py, px, py, True
            continue
        # Only a piece within the tolerance of an axis can become an edge (NaN fails both).
        if kind == _LINETO and started and (-tol <= px - lx <= tol or -tol <= py - ly <= tol):
            add(lx, ly, px, py, edges)
        lx, ly = px, py
        if started and segment_close(seg):
            add(px, py, sx, sy, edges)
            lx, ly = sx, sy


_count_segments = _native("FPDFPath_CountSegments", _I, _VP)
_get_segment = _native("FPDFPath_GetPathSegment", _VP, _VP, _I)
_segment_point = _native("FPDFPathSegment_GetPoint", _I, _VP, _VP, _VP)
_segment_type = _native("FPDFPathSegment_GetType", _I, _VP)
_segment_close = _native("FPDFPathSegment_GetClose", _I, _VP)
_MOVETO, _LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO


def _add_edge(x0: float, y0: float, x1: float, y1: float, edges: list[Edge]) -> None:
    dx, dy = abs(x1 - x0), abs(y1 - y0)
    if not math.isfinite(dx + dy):
        return
    if dy <= _AXIS_TOLERANCE < dx:
        y = (y0 + y1) / 2
        edges.append(tuple.__new__(Edge, ("h", x0, y, x1, y) if x0 < x1 else ("h", x1, y, x0, y)))
    elif dx <= _AXIS_TOLERANCE < dy:
        x = (x0 + x1) / 2
        edges.append(tuple.__new__(Edge, ("v", x, y0, x, y1) if y0 < y1 else ("v", x, y1, x, y0)))
