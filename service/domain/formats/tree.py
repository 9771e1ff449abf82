"""Walking the element trees of HTML and Word documents."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree


def leaf_tables(events: Iterable[tuple[str, etree._Element]]) -> set[etree._Element]:
    """The tables that hold no other table, from the start/end events of the tables only.

    Iterative (a stack of open tables), so a deeply nested document cannot exhaust the
    recursion limit; the nearest enclosing table of every table is not a leaf.
    """
    tables: list[etree._Element] = []
    inner: set[etree._Element] = set()
    stack: list[etree._Element] = []
    for event, el in events:
        if event == "start":
            if stack:
                inner.add(stack[-1])
            stack.append(el)
            tables.append(el)
        else:
            stack.pop()
    return {t for t in tables if t not in inner}
