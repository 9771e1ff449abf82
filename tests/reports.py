"""Reports written for the tests: consistent tables with non-zero numbers, in any layout."""

from __future__ import annotations

import copy
from typing import Any

from service.domain.render import consistent_values, render_report

Values = dict[str, dict[str, dict[str, Any]]]


def values(seed: int = 5, template: str = "2021") -> Values:
    return copy.deepcopy(consistent_values(seed=seed, template=template))


def report(v: Values | None = None, **kw: Any) -> str:
    kw.setdefault("layout", "tab")
    kw.setdefault("template", "2021")
    kw.setdefault("year", 2023 if kw["template"] == "2021" else 2020)
    return render_report(v if v is not None else values(template=kw["template"]), **kw)


def consecutive(seed: int) -> tuple[Values, Values]:
    """Last year's tables and this year's, consistent and continuous with them."""
    before, now = values(seed=seed), values(seed=seed + 1)
    app = now["applications"]
    for col in app["total"]:
        if col == "total":
            continue
        app["carried_over"][col] = before["applications"]["carried_forward"][col]
        need = app["total"][col] + app["carried_forward"][col] - app["carried_over"][col]  # type: ignore[operator]
        if need < 0:
            app["carried_forward"][col] -= need  # type: ignore[operator]
            need = 0
        app["new_received"][col] = need
    for row in app.values():
        row["total"] = sum(v for k, v in row.items() if k != "total")  # type: ignore[misc]
    for key in ("regulations", "normative_documents"):
        cells = now["active_disclosure"][key]
        cells["repealed"] = min(cells["repealed"], before["active_disclosure"][key]["in_force"])  # type: ignore[type-var]
        cells["in_force"] = before["active_disclosure"][key]["in_force"] + cells["issued"] - cells["repealed"]  # type: ignore[operator]
    return before, now


def own_problems(year: int) -> dict[str, str]:
    """A problems part of its own for each year, so that consecutive rendered reports are
    not caught by problems-copied."""
    words = ("政策解读形式单一", "复杂申请研判不足", "新媒体更新不及时", "培训不够经常")
    a, b = words[year % 4], words[(year + 1) % 4]
    return {"problems": f"{year}年存在的主要问题是{a}。下一步将着力解决{b}的问题。"}


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing `needle`."""
    for n, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in text")


def drop_lines(text: str, predicate: Any) -> str:
    return "\n".join(line for line in text.split("\n") if not predicate(line))


def zip_of(members: dict[str, bytes]) -> bytes:
    """A deflated zip archive of `members` (name → bytes)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
