"""The six parts of a report, in the template's order, with the older wordings still met."""

from __future__ import annotations

from service.domain.template.model import SectionDef

SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("overview", "一", "总体情况"),
    SectionDef("active_disclosure", "二", "主动公开政府信息情况", ("主动公开政府信息的情况",)),
    SectionDef(
        "applications",
        "三",
        "收到和处理政府信息公开申请情况",
        ("依申请公开政府信息情况", "收到和处理政府信息公开申请的情况"),
    ),
    SectionDef(
        "reviews_litigation",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        ("政府信息公开行政复议和行政诉讼情况", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
    ),
    SectionDef(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题和改进情况"),
    ),
    SectionDef("other", "六", "其他需要报告的事项"),
)
