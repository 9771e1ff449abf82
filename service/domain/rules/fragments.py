"""Building blocks of the rules' examples: short report fragments, written as a clerk's
tab-separated table rows under the template's section headings, with a title line where a
rule needs the agency or the year (see `catalogue.Example`)."""

from __future__ import annotations

from service.domain.template import SECTIONS

T2 = "二、主动公开政府信息情况"  # the section holding 表二
T3 = "三、收到和处理政府信息公开申请情况"  # 表三
T4 = "四、政府信息公开行政复议、行政诉讼情况"  # 表四
HEADER_2021 = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"  # 表二's columns, 2021
HEADER_2019 = "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量"  # and 2019
NEW = "一、本年新收政府信息公开申请数量"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"
TOTAL = "（七）总计"
CARRIED_FORWARD = "四、结转下年度继续办理"
GRANTED = "（一）予以公开"
PARTIALLY_GRANTED = "（二）部分公开"
HEADER_FEES = "信息内容\t本年收费金额（单位：万元）"  # 表二's 行政事业性收费 row, 2021


def title(agency: str, year: int) -> str:
    """A report's title line, which names its agency and year."""
    return f"{agency}{year}年政府信息公开工作年度报告"


def lines(*texts: str) -> str:
    return "\n".join(texts)


def row(label: str, *values: object) -> str:
    """A table row: its label, then its cells."""
    return "\t".join([label, *map(str, values)])


def applicants(label: str, natural_person: int, total: int | None = None) -> str:
    """A 表三 row whose applicants are all 自然人 (总计 equal to them unless given)."""
    return row(label, natural_person, 0, 0, 0, 0, 0, natural_person if total is None else total)


def sections(numbers: str, renumber: dict[str, str] | None = None) -> str:
    """The headings of the parts numbered `numbers` (一二…), in that order, each printed
    with the numeral `renumber` gives it, else its own."""
    by_number = {s.number: s for s in SECTIONS}
    return lines(*(f"{(renumber or {}).get(n, n)}、{by_number[n].title}" for n in numbers))
