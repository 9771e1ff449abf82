"""Metadata: each kind of evidence as a table of (report fragment → expected meta)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.domain.formats import parse_file, parse_html
from service.domain.meta import agency_from_sentence, clean_title, compiler_of
from service.domain.pipeline import parse_text

BODY = "一、总体情况\n本年度工作情况如下。\n二、主动公开政府信息情况\n见下表。\n"


def meta(text: str) -> dict[str, Any]:
    m = parse_text(text).meta
    return {"title": m.title, "agency": m.agency, "year": m.year, "published": m.published}


def subset(got: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    return {k: got[k] for k in want}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "标题: 某县商务局2023年度政府信息公开工作年度报告\n发布时间: 2024-01-20 15:22\n文号: \n"
            "==================== 正文 ====================\n" + BODY,
            {"title": "某县商务局2023年度政府信息公开工作年度报告", "agency": "某县商务局", "year": 2023,
             "published": "2024-01-20"},
            id="collector-header-title-label",
        ),
        pytest.param(
            "标题：某县发展和改革局2023年政府信息公开年度报告-某县发改局\n单位：某县发改局\n" + BODY,
            {"title": "某县发展和改革局2023年政府信息公开年度报告", "agency": "某县发展和改革局"},
            id="site-name-after-title",
        ),
        pytest.param(
            "标题：政府信息公开工作年度报告\n单位：某县发改局\n采集时间：2025-12-30T21:37:37+08:00\n" + BODY,
            {"title": "政府信息公开工作年度报告", "agency": "某县发改局", "published": None},
            id="collector-unit-when-title-has-no-agency",
        ),
        pytest.param(
            "# 2024年某市科委政府信息公开工作年度报告\n\n" + BODY,
            {"title": "2024年某市科委政府信息公开工作年度报告", "agency": "某市科委", "year": 2024},
            id="markdown-heading-title",
        ),
        pytest.param(
            "**某区司法局2022年政府信息公开工作年度报告**\n\n" + BODY,
            {"title": "某区司法局2022年政府信息公开工作年度报告", "agency": "某区司法局", "year": 2022},
            id="markdown-bold-title",
        ),
        pytest.param(
            "正文\n2024 年某市科委政府信息公开工作\n年度报告\n根据《条例》要求编制本报告。\n" + BODY,
            {"title": "2024 年某市科委政府信息公开工作年度报告", "agency": "某市科委", "year": 2024},
            id="title-wrapped-after-gongzuo",
        ),
        pytest.param(
            "某县交通运输局\n2021年政府信息公开工作年度报告\n" + BODY,
            {"title": "某县交通运输局2021年政府信息公开工作年度报告", "agency": "某县交通运输局", "year": 2021},
            id="agency-on-its-own-line",
        ),
        pytest.param(
            "政府信息公开工作年度报告\n一、总体情况\n2019年，市商务局坚持以人民为中心，公开各类信息。\n",
            {"agency": "市商务局", "year": 2019},
            id="agency-from-overview-sentence",
        ),
        pytest.param(
            "政府信息公开工作年度报告\n一、总体情况\n2025年，某某综合实验区坚持公开为常态。\n",
            {"agency": "某某综合实验区", "year": 2025},
            id="place-from-overview-sentence",
        ),
        pytest.param(
            "政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真贯彻《条例》。\n",
            {"agency": None, "year": 2023},
            id="we-is-not-a-name",
        ),
        pytest.param(
            "政府信息公开工作年度报告\n本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n" + BODY,
            {"year": 2023},
            id="year-from-statistics-period",
        ),
        pytest.param(
            "政府信息公开年度报告\n本年度报告中所列数据的统计周期为 2024 年 1 月 1 日至 12 月 31 日。\n" + BODY,
            {"year": 2024},
            id="year-from-statistics-period-spaced",
        ),
        pytest.param(
            BODY + "六、其他需要报告的事项\n无。\n某县商务局\n2022年1月14日\n",
            {"agency": "某县商务局", "published": "2022-01-14", "year": 2021},
            id="signature-and-date-at-the-end",
        ),
        pytest.param(
            "某某实验区2019年政府信息公开工作年度报告\n根据《条例》要求，区管委会办公室编制完成了本报告。\n" + BODY,
            {"agency": "某某实验区管委会", "year": 2019},
            id="title-place-completed-by-the-compiler",
        ),
        pytest.param(
            "某某市2020年政府信息公开工作年度报告\n根据《条例》要求，市商务局编制了本报告。\n" + BODY,
            {"agency": "某某市商务局"},
            id="title-city-completed-by-the-compiler",
        ),
        pytest.param(
            "某县人民政府2023年政府信息公开工作年度报告\n根据《条例》要求，县政府办公室编制了本报告。\n" + BODY,
            {"agency": "某县人民政府"},
            id="organ-in-title-is-kept",
        ),
        pytest.param(
            "政府信息公开年报\n当前位置：首页 > 政府信息公开 > 年度报告\n政府信息公开工作年度报告\n" + BODY,
            {"title": "政府信息公开工作年度报告", "agency": None},
            id="breadcrumb-is-not-a-title",
        ),
        pytest.param(
            "索 引 号: | abc/2024-01 | 公开目录: | 部门年报 |\n发布机构: | 某区商务局 |\n公开日期: | 2024-01-16 |\n"
            "政府信息公开工作年度报告\n" + BODY,
            {"agency": "某区商务局", "published": "2024-01-16"},
            id="portal-fields-in-a-scrape",
        ),
    ],
)
def test_meta_from_text(text: str, want: dict[str, Any]) -> None:
    assert subset(meta(text), want) == want


_PORTAL = (
    "<html><head><title>{title}-某县发改局</title></head><body>"
    "<div class=meta><p>标题：{title}-某县发改局</p><p>单位：某县发改局</p>"
    "<p>来源：http://www.example.gov.cn/a.html</p><p>采集时间：2025-12-30T21:37:37+08:00</p></div>"
    "<div class=nav><a href=/>首页</a><a href=/zwgk>政府信息公开</a><form><input name=q>搜索</form></div>"
    "<table class=meta><tr><td>名称</td><td colspan=3>{title}</td></tr>"
    "<tr><td>索引号</td><td>0143/2024-00002</td><td>分类</td><td>信息公开年报</td></tr>"
    "<tr><td>发布机构</td><td>{agency}</td><td>公开日期</td><td>2024-01-17</td></tr></table>"
    "{h1}<div class=TRS_Editor><p>一、总体情况</p><p>2023年，县发展和改革局认真贯彻《条例》。</p>"
    "<p>二、主动公开政府信息情况</p></div><script>var x='标题：别的';</script></body></html>"
)


@pytest.mark.parametrize(
    ("h1", "title", "agency", "want"),
    [
        pytest.param("<h1>{title}</h1>", "某县发展和改革局2023年政府信息公开年度报告", "某县发展和改革局",
                     {"title": "某县发展和改革局2023年政府信息公开年度报告", "agency": "某县发展和改革局", "year": 2023,
                      "published": "2024-01-17"}, id="page-h1"),
        pytest.param("", "政府信息公开工作年度报告", "某县发展和改革局",
                     {"title": "政府信息公开工作年度报告", "agency": "某县发展和改革局", "year": 2023},
                     id="metadata-table-agency"),
    ],
)
def test_meta_from_a_portal_page(h1: str, title: str, agency: str, want: dict[str, Any]) -> None:
    page = _PORTAL.format(title=title, agency=agency, h1=h1.format(title=title))
    m = parse_html(page.encode("utf-8")).meta
    got = {"title": m.title, "agency": m.agency, "year": m.year, "published": m.published}
    assert subset(got, want) == want
    assert m.index_number == "0143/2024-00002"


_FOOTER = "".join(f"<p>{t}</p>" for t in (
    "分享到：微信 微博", "主办单位：某县人民政府办公室", "承办单位：某县大数据中心", "网站标识码：3213220001",
    "苏ICP备05009061号", "苏公网安备 32132202000001号", "网站地图 | 联系我们", "更新时间：2024-01-21"))


def test_signature_above_a_portal_footer() -> None:
    page = ("<html><body><div class=nav><a>首页</a></div><h1>政府信息公开工作年度报告</h1><div class=TRS_Editor>"
            "<p>一、总体情况</p><p>本年度工作如下。</p><p>六、其他需要报告的事项</p><p>无。</p>"
            "<p>某县商务局</p><p>2024年1月20日</p></div><div class=footer>" + _FOOTER + "</div></body></html>")
    m = parse_html(page.encode("utf-8")).meta
    assert (m.agency, m.published, m.year) == ("某县商务局", "2024-01-20", 2023)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("标题: 某局2023年政府信息公开工作年度报告", "某局2023年政府信息公开工作年度报告"),
        ("名称：某局2023年政府信息公开工作年度报告", "某局2023年政府信息公开工作年度报告"),
        ("## 某局2023年政府信息公开工作年度报告", "某局2023年政府信息公开工作年度报告"),
        ("某局2023年政府信息公开工作年度报告 - 某局门户网站", "某局2023年政府信息公开工作年度报告"),
        ("某局2023年政府信息公开工作年度报告_某市人民政府", "某局2023年政府信息公开工作年度报告"),
        ("某局2023年政府信息公开工作年度报告（2024年更新）", "某局2023年政府信息公开工作年度报告（2024年更新）"),
    ],
)
def test_clean_title(text: str, want: str) -> None:
    assert clean_title(text) == want


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("2025年，平潭综合实验区坚持以习近平新时代中国特色社会主义思想为指导", "平潭综合实验区"),
        ("市商务局认真贯彻落实《条例》", "市商务局"),
        ("上海市科委 2024 年深入贯彻《条例》", "上海市科委"),
        ("2021年，区商务局在区委区政府的领导下", "区商务局"),
        ("2023年，我局严格审签程序", None),
        ("本年度，全区共主动公开信息", None),
        ("按照区委、区政府关于进一步做好政府信息公开工作的通知要求", None),
    ],
)
def test_agency_from_sentence(sentence: str, want: str | None) -> None:
    assert agency_from_sentence(sentence) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("要求，区管委会办公室编制完成了本报告。", "区管委会"),
        ("的要求，市科委编制了 2024 年度政务公开工作报告", "市科委"),
        ("本报告由县政府办公室编制", "县政府"),
        ("根据《条例》编制本报告", None),
    ],
)
def test_compiler_of(text: str, want: str | None) -> None:
    assert compiler_of(text) == want


# The real corpus (../shared/corpus, beside the checkout): every input's meta against its
# truth file's agency and year. Absent from a bare clone, where this is skipped.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_FORMATS = {".html": "html", ".txt": "text", ".md": "text", ".pdf": "pdf"}


def _corpus_inputs() -> list[tuple[Path, Path]]:
    out = []
    for truth in sorted(CORPUS.glob("*.truth.json")):
        stem = truth.name[: -len(".truth.json")]
        out += [(p, truth) for p in sorted(CORPUS.glob(stem + ".*")) if p.suffix in _FORMATS]
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
@pytest.mark.parametrize(("path", "truth"), _corpus_inputs(), ids=lambda p: p.name if isinstance(p, Path) else "")
def test_corpus_meta_matches_truth(path: Path, truth: Path) -> None:
    want = json.loads(truth.read_text(encoding="utf-8"))
    m = parse_file(path.read_bytes(), _FORMATS[path.suffix]).meta
    assert (m.agency, m.year) == (want["agency"], want["year"])
    assert m.title is None or not m.title.startswith(("#", "标题", "名称"))
