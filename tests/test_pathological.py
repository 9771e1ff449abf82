"""Pathological inputs over HTTP: each is answered within a bound, never with a 5xx.

Every case pins the answer it must get (200 with a result, or a 4xx problem with its stable
type), not merely "not 500". The time limit is a hang guard, generous enough for a loaded CI
machine: speed is the benchmark's business, not a test's. Cases marked "regression" are
inputs that broke the service before the fix named beside them.
"""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from reports import report, values
from service.app import create_app
from service.domain.limits import MAX_CELLS, MAX_LINES
from service.domain.models import ParseResult
from service.domain.pipeline import parse_text
from service.settings import Settings

PARSE = "/v1/reports/parse"
TEXT = {"content-type": "text/plain; charset=utf-8"}
JSON = {"content-type": "application/json"}
HTML = {"content-type": "text/html; charset=utf-8"}
MiB = 1024 * 1024
HANG_GUARD = 120.0  # seconds; a hang, not a slow answer, is what this catches


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    # The production body limit (5 MiB), so the biggest bodies a client may send are sent.
    with TestClient(create_app(Settings(log_level="error")), raise_server_exceptions=False) as c:
        yield c


_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=1)


def bounded(call: Callable[[], httpx.Response]) -> httpx.Response:
    """Run `call` with a hang guard: a request that never returns fails the test."""
    return _POOL.submit(call).result(timeout=HANG_GUARD)


def post(client: TestClient[Litestar], body: bytes, headers: dict[str, str]) -> httpx.Response:
    return bounded(lambda: client.post(PARSE, content=body, headers=headers))


def ok(response: httpx.Response) -> ParseResult:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    return msgspec.json.decode(response.content, type=ParseResult)


def problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    return body


def values_of(result: ParseResult) -> dict[str, dict[str, Any]]:
    """Every table's values by row key: what was read, wherever it stood."""
    return {
        name: {r.key: r.values for r in table.rows}
        for name in ("active_disclosure", "applications", "reviews_litigation")
        if (table := getattr(result.tables, name)) is not None
    }


def codes(result: ParseResult) -> set[str]:
    return {i.code for i in result.issues}


# ------------------------------------------------------------------ size and shape


def test_5_mib_single_line(client: TestClient[Litestar]) -> None:
    line = ("一、总体情况" + "本机关依法公开政府信息。" * 200).encode()
    body = (line * (5 * MiB // len(line) + 1))[: 5 * MiB]
    body = body[: len(body.decode("utf-8", "ignore").encode())]  # whole characters only
    assert b"\n" not in body and len(body) > 5 * MiB - 4
    result = ok(post(client, body, TEXT))
    assert "section-missing" in codes(result)


def test_100000_lines_of_tabs_and_pipes_are_refused_as_too_large(client: TestClient[Litestar]) -> None:
    body = ("\t|\t|\n" * 100_000).encode()
    problem(post(client, body, TEXT), 422, "unsupported-document")


def test_tabs_and_pipes_just_inside_the_limits_are_read(client: TestClient[Litestar]) -> None:
    lines = MAX_CELLS // 2 - 10
    assert lines < MAX_LINES
    result = ok(post(client, ("\t|\n" * lines).encode(), TEXT))
    assert "table-missing" in codes(result)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"\t|" * (5 * MiB // 2), id="5MiB-of-tabs-and-pipes"),
        pytest.param(b"|" * (5 * MiB), id="5MiB-of-pipes"),
        pytest.param(b"a\n" * (5 * MiB // 2), id="2.6M-lines"),
    ],
)
def test_bodies_of_millions_of_cells_or_lines_are_refused(client: TestClient[Litestar], body: bytes) -> None:
    """Regression: 5 MiB of tabs held a core for ~50 s and took 1.5 GiB (limits.py)."""
    problem(post(client, body, TEXT), 422, "unsupported-document")


def test_5_mib_of_numbers_on_one_line(client: TestClient[Litestar]) -> None:
    """Regression: 2.5M number tokens in one table region; the region is read up to its
    cap (limits.MAX_REGION_CELLS), and the digits run together are no number (cells.MAX_DIGITS).

    It is the slowest text inside the limits (~7 s of CPU alone here), so on a busy machine
    it meets the parse deadline: then it is refused as such (issue 15), never a 500."""
    response = post(client, b"1 " * (5 * MiB // 2), TEXT)
    if response.status_code == 422:
        problem(response, 422, "parse-timeout")
    else:
        ok(response)


def test_html_nested_200_deep_is_read(client: TestClient[Litestar]) -> None:
    inner = report().replace("\n", "<br>")
    body = ("<div>" * 200 + "<p>" + inner + "</p>" + "</div>" * 200).encode()
    assert len(ok(post(client, body, HTML)).sections) == 6


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (("<div>" * 10_000 + "<p>" + report().replace("\n", "<br>") + "</p>" + "</div>" * 10_000).encode(), HTML),
        (json.dumps({"content": "<span>" * 10_000 + "一、总体情况" + "</span>" * 10_000, "format": "html"}).encode(), JSON),
        (b"<table><tr><td>" * 10_000 + "一、总体情况".encode(), HTML),
    ],
    ids=["divs", "spans-in-json", "unclosed-cells"],
)
def test_10000_nested_html_tags_are_refused(
    client: TestClient[Litestar], body: bytes, headers: dict[str, str]
) -> None:
    """Regression: libxml2 drops what is nested deeper than 256 elements, so the page was
    answered 200 as an empty report; now it is a document the service cannot read."""
    problem(post(client, body, headers), 422, "unsupported-document")


def test_table_with_10000_rows(client: TestClient[Litestar]) -> None:
    text = report()
    lines = text.split("\n")
    at = lines.index("三、收到和处理政府信息公开申请情况") + 1
    extra = [f"自定义统计项目第{n}号\t\t" + "\t".join(["1"] * 7) for n in range(10_000)]
    body = "\n".join(lines[:at] + extra + lines[at:]).encode()
    result = ok(post(client, body, TEXT))
    assert "row-unknown" in codes(result)
    assert values_of(result) == values_of(parse_text(report()))  # the real rows after them still read


def test_label_repeated_10000_times(client: TestClient[Litestar]) -> None:
    lines = report().split("\n")
    at = lines.index("二、主动公开政府信息情况") + 1
    body = "\n".join(lines[:at] + ["行政许可\t1"] * 10_000 + lines[at:]).encode()
    result = ok(post(client, body, TEXT))
    licensing = next(r for r in result.tables.active_disclosure.rows if r.key == "licensing")  # type: ignore[union-attr]
    assert licensing.values == {"decisions": 1}  # the first occurrence is the row
    repeats = [i for i in result.issues if i.code == "row-duplicate"]
    assert [(i.location.row, i.location.line) for i in repeats] == [("licensing", at + 2)]  # one finding
    assert "row-unknown" not in codes(result)


def test_cell_wrapped_over_many_lines(client: TestClient[Litestar]) -> None:
    """One cell of the one-cell-per-line layout continued by 40,000 short lines."""
    body = ("\t行政许可\n\t1\n" * 3 + "\t规章\n" + "短行\n" * 40_000).encode()
    ok(post(client, body, TEXT))


# ------------------------------------------------------------------ JSON


def _nested(depth: int, open_: bytes = b"[", close: bytes = b"]") -> bytes:
    return open_ * depth + close * depth


@pytest.mark.parametrize(
    ("body", "status", "slug"),
    [
        # Regression: msgspec skipping a deep unknown field raised RecursionError → 500.
        (b'{"content": "x", "extra": ' + _nested(10_000) + b"}", 422, "invalid-request"),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, 422, "invalid-request"),
        (_nested(10_000), 422, "invalid-request"),
        (b'{"content": ' + _nested(10_000) + b"}", 422, "invalid-request"),
        (b'{"content": "x", "extra": ' + _nested(10_000, b'{"a":', b"}") + b"}", 422, "invalid-request"),
        (_nested(10_000)[:-1], 422, "invalid-request"),  # msgspec: not an object, first
    ],
    ids=["deep-unknown-field", "deep-objects", "deep-array", "deep-content", "deep-unknown-objects", "deep-truncated"],
)
def test_json_nested_10000_deep(client: TestClient[Litestar], body: bytes, status: int, slug: str) -> None:
    problem(post(client, body, JSON), status, slug)


# ------------------------------------------------------------------ encodings and characters


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("一、总体情况".encode("gb18030") + b"\x81\x30\xff\xfe", {"content-type": "text/plain"}),
        (b"\x81\x30\xff\xfe" + "年报".encode("gb18030"), {"content-type": "text/plain; charset=gb18030"}),
        (b"\xfe\xff" * 100, {"content-type": "text/plain; charset=GBK"}),
        (b"\x84\x31\xa4\x39" + b"\x84\x31\xa5", {"content-type": "text/plain; charset=gb18030"}),
    ],
    ids=["undeclared", "declared", "gbk-alias", "truncated-four-byte"],
)
def test_gb18030_with_invalid_sequences(client: TestClient[Litestar], body: bytes, headers: dict[str, str]) -> None:
    body_ = problem(post(client, body, headers), 400, "undecodable-body")
    assert "offset" in body_["detail"]


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "undefined"])
def test_declared_charset_that_is_no_text_encoding(client: TestClient[Litestar], charset: str) -> None:
    """Regression: `bytes.decode('rot13')` raised LookupError, `undefined` a bare
    UnicodeError: both escaped as 500s (decode.py)."""
    problem(post(client, b"abc", {"content-type": f"text/plain; charset={charset}"}), 400, "undecodable-body")


def test_idna_charset_that_does_not_round_trip(client: TestClient[Litestar]) -> None:
    """Regression: idna raises a bare UnicodeError (not UnicodeDecodeError) → was 500."""
    problem(post(client, b"xn--a-", {"content-type": "text/plain; charset=idna"}), 400, "undecodable-body")


_INVISIBLES = "\u200b\u200c\u200d\u2060\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"


def _sprinkle(text: str) -> str:
    """NUL bytes, BOMs, zero-width and direction controls between the characters of every
    label and number, emoji in the running text: nothing a reader sees changes."""
    out: list[str] = ["\ufeff"]
    for n, ch in enumerate(text):
        out.append(ch)
        if ch not in "\t\n|":
            out.append(_INVISIBLES[n % len(_INVISIBLES)] + ("\x00" if n % 7 == 0 else ""))
    return "".join(out)


@pytest.mark.parametrize("layout", ["tab", "pipe", "cell-per-line", "markdown"])
def test_invisible_characters_change_nothing(client: TestClient[Litestar], layout: str) -> None:
    clean = report(layout=layout, narrative={"overview": "本年度公开工作稳步推进 😀👨‍👩‍👧 🇨🇳。"})
    expected = parse_text(clean)
    assert not expected.issues or all(i.severity != "error" for i in expected.issues)
    result = ok(post(client, _sprinkle(clean).encode(), TEXT))
    assert result.tables == expected.tables
    assert [(s.key, s.number) for s in result.sections] == [(s.key, s.number) for s in expected.sections]
    assert [(i.code, i.location) for i in result.issues] == [(i.code, i.location) for i in expected.issues]


@pytest.mark.parametrize(
    "body",
    [
        b"\x00" * 10_000,
        b"\xef\xbb\xbf" * 1000 + "一、总体情况".encode(),
        b"\xff\xfe" + "一、总体情况\n\u202e二、主动公开政府信息情况".encode("utf-16-le"),
        "\u202e\u2066".encode() * 50_000,
        "😀".encode() * (MiB // 4),
        "👨‍👩‍👧‍👦\t".encode() * 10_000,
    ],
    ids=["nul", "many-boms", "utf16-bom-rlo", "direction-controls", "1MiB-emoji", "emoji-cells"],
)
def test_control_and_exotic_characters(client: TestClient[Litestar], body: bytes) -> None:
    # NULs and the other controls are dropped by the reader: what is left is read as is.
    result = ok(post(client, body, {"content-type": "text/plain"}))
    assert result.summary.valid is (not any(i.severity == "error" for i in result.issues))


# ------------------------------------------------------------------ cells


def test_cell_of_100000_digits(client: TestClient[Litestar]) -> None:
    """Regression: `int()` refuses more than 4,300 digits (ValueError → 500); now such a
    cell is no number (cells.MAX_DIGITS)."""
    v = values()
    v["applications"]["granted"]["natural_person"] = "9" * 100_000
    result = ok(post(client, report(v).encode(), TEXT))
    hits = [i for i in result.issues if i.code == "cell-not-number"]
    assert [(i.location.row, i.location.column) for i in hits] == [("granted", "natural_person")]


def test_cell_of_16_digits_is_no_number_but_15_is(client: TestClient[Litestar]) -> None:
    v = values()
    v["active_disclosure"]["licensing"]["decisions"] = "1" * 16
    v["active_disclosure"]["punishment"]["decisions"] = "1" * 15
    result = ok(post(client, report(v).encode(), TEXT))
    rows = {r.key: r for r in result.tables.active_disclosure.rows}  # type: ignore[union-attr]
    assert rows["licensing"].values["decisions"] is None
    assert rows["punishment"].values["decisions"] == int("1" * 15)
    assert [i.location.row for i in result.issues if i.code == "cell-not-number"] == ["licensing"]


@pytest.mark.parametrize("layout", ["tab", "pipe", "cell-per-line", "markdown"])
@pytest.mark.parametrize(("row", "column"), [("review", "upheld"), ("litigation_direct", "other"), ("litigation_after_review", "total")])
def test_word_in_the_run_of_table_4_stays_in_its_cell(client: TestClient[Litestar], layout: str, row: str, column: str) -> None:
    """Regression (found by test_properties): 十二 among the fifteen numbers of 表四 ended the
    run, so the rest shifted into the wrong cells or the table went missing."""
    v = values()
    v["reviews_litigation"][row][column] = "十二"
    result = ok(post(client, report(v, layout=layout).encode(), TEXT))
    errors = [(i.code, i.location.table, i.location.row, i.location.column) for i in result.issues if i.severity == "error"]
    assert errors == [("cell-not-number", "reviews_litigation", row, column)]
