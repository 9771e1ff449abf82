"""Units of the domain: decoding, label matching, cells, dates, sections by title."""

from __future__ import annotations

import pytest

from service.domain.cells import read_cell
from service.domain.decode import DecodeError, decode
from service.domain.labels import core, split_enumerator
from service.domain.layout import read_text
from service.domain.meta import parse_date
from service.domain.normalize import fold, normalize_text
from service.domain.pipeline import parse_text
from service.domain.sections import find_headings


@pytest.mark.parametrize(
    ("data", "charset", "expected"),
    [
        ("年报".encode(), None, "年报"),
        ("年报".encode("gb18030"), None, "年报"),
        ("年报".encode("gbk"), "GBK", "年报"),
        ("\ufeff年报".encode(), None, "年报"),
        ("年报".encode("utf-16"), None, "年报"),
        ("𠀀".encode("gb18030"), "gbk", "𠀀"),  # a GB18030-only character in a "GBK" file
    ],
)
def test_decode(data: bytes, charset: str | None, expected: str) -> None:
    assert decode(data, charset) == expected


@pytest.mark.parametrize(("data", "charset"), [(b"\xff\xff\x80", None), ("年".encode("gbk"), "utf-8"), (b"a", "x-unknown")])
def test_decode_refuses(data: bytes, charset: str | None) -> None:
    with pytest.raises(DecodeError):
        decode(data, charset)


def test_normalize_keeps_what_is_printed() -> None:
    assert normalize_text("a\u3000b\u00a0c\u200b\r\nd\x00e\u202e") == "a b c\nde"
    assert fold("（一）　予以公开") == fold("(一) 予以公开") == "(一)予以公开"
    assert fold("２０２３") == "2023"


@pytest.mark.parametrize(
    ("text", "enum", "rest"),
    [
        ("三、本年度办理结果", "三", "本年度办理结果"),
        ("三 、本年度办理结果", "三", "本年度办理结果"),
        ("（一）予以公开", "一", "予以公开"),
        ("(七) 总计", "七", "总计"),
        ("2.其他法律法规禁止公开", "2", "其他法律法规禁止公开"),
        ("１．属于国家秘密", "1", "属于国家秘密"),
        ("规章", None, "规章"),
    ],
)
def test_split_enumerator(text: str, enum: str | None, rest: str) -> None:
    assert split_enumerator(text) == (enum, rest)


def test_core_ignores_line_breaks_and_widths() -> None:
    assert core("5.要求行政机关确认或重新 出具已获取信息") == core("５．要求行政机关确认或重新出具已获取信息")


@pytest.mark.parametrize(
    ("raw", "kind", "value", "status"),
    [
        ("0", "count", 0, "ok"),
        ("１２", "count", 12, "ok"),
        ("1,234", "count", 1234, "ok"),
        ("5件", "count", 5, "ok"),
        ("", "count", None, "blank"),
        ("—", "count", None, "blank"),
        ("/", "count", None, "blank"),
        ("2.5", "count", None, "fraction"),
        ("3.0", "count", 3, "ok"),
        ("-4", "count", -4, "negative"),
        ("-4", "signed", -4, "ok"),
        ("7730.28", "amount", "7730.28", "ok"),
        ("0.12345", "amount", "0.12345", "precision"),
        ("十二", "count", None, "not_number"),
        ("1.2.3", "count", None, "not_number"),
    ],
)
def test_read_cell(raw: str, kind: str, value: object, status: str) -> None:
    cell = read_cell(raw, kind)
    assert (cell.value, cell.status) == (value, status)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-01-16", "2024-01-16"),
        ("2022年1月14日", "2022-01-14"),
        ("2022 年 1 月 4 日", "2022-01-04"),
        ("二〇二二年一月十四日", "2022-01-14"),
        ("二〇二二年十二月三十一日", "2022-12-31"),
        ("2022年13月1日", None),
        ("无日期", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_sections_are_found_by_title_not_number() -> None:
    text = "\n".join([
        "某局2021年政府信息公开工作年度报告",
        "一、总体情况", "一、主动公开情况", "正文。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况", "一、存在的主要问题", "二、改进情况",
        "六、其他需要报告的事项",
    ])
    heads = find_headings(read_text(text))
    assert [(h.key, h.line) for h in heads] == [
        ("overview", 2), ("active_disclosure", 5), ("applications", 6),
        ("reviews_litigation", 7), ("problems", 8), ("other", 11),
    ]


def test_meta_from_portal_fields_and_signature() -> None:
    text = "索 引 号： | abc/2024-01 |\n发布日期： | 2024-01-16 |\n发布机构：| 某区商务局 |\n一、总体情况\n2023年，……\n"
    meta = parse_text(text).meta
    assert (meta.index_number, meta.published, meta.agency) == ("abc/2024-01", "2024-01-16", "某区商务局")
    signed = parse_text("一、总体情况\n本年度……\n\n某县商务局\n2022年1月14日\n").meta
    assert (signed.agency, signed.published, signed.year) == ("某县商务局", "2022-01-14", 2021)


def test_year_is_the_year_reported_on() -> None:
    meta = parse_text("某局2023年政府信息公开工作年度报告\n一、总体情况\n\n某局\n2024年1月20日\n").meta
    assert (meta.year, meta.published) == (2023, "2024-01-20")
