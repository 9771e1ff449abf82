"""The page at `/` and Swagger UI are served whole by the service: nothing from outside.

(The browser test, tests/test_browser.py, checks the same on the requests a real browser
makes; these checks need no browser.)
"""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.domain.template import APP_COLUMNS, REVIEW_COLUMNS, TEMPLATES

_REFS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
_CSS_URLS = re.compile(r"""url\(\s*["']?([^"')]+)""")


def _refs(html: str) -> list[str]:
    """What the page loads or links to, less links within itself (#results)."""
    return [r for r in _REFS.findall(html) if not r.startswith("#")]


def test_page_is_chinese_html_with_labelled_controls(client: TestClient[Litestar]) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in r.text
    for control in re.findall(r"<(?:input|textarea)[^>]*\bid=\"([^\"]+)\"", r.text):
        assert f'for="{control}"' in r.text, control


@pytest.mark.parametrize("path", ["/", "/schema", "/schema/swagger"])
def test_every_reference_is_served_by_the_service(client: TestClient[Litestar], path: str) -> None:
    html = client.get(path).text
    refs = _refs(html)
    assert refs, path
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), f"{path} loads {ref} from outside"
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        if ref.endswith(".css"):
            outside = [u for u in _CSS_URLS.findall(asset.text) if not u.startswith(("data:", "#", "/"))
                       and re.match(r"[a-z]+:|//", u)]
            assert outside == [], f"{ref} loads {outside}"
    assert "cdn." not in html


def test_only_listed_assets_are_served(client: TestClient[Litestar]) -> None:
    for path in ("/static/index.html/..", "/static/routes.py", "/static/swagger-ui/index.css",
                 "/static/swagger-ui/..%2f__init__.py", "/static/%2e%2e/routes.py"):
        assert client.get(path).status_code == 404, path


def test_labels_come_from_the_template(client: TestClient[Litestar]) -> None:
    labels = client.get("/static/labels.json").json()
    assert [t["key"] for t in labels["tables"]] == ["active_disclosure", "applications", "reviews_litigation"]
    for tid, tpl in TEMPLATES.items():
        columns = labels["columns"][tid]
        assert columns["applications"] == {c.key: c.label for c in APP_COLUMNS}
        assert columns["reviews_litigation"] == {c.key: c.label for c in REVIEW_COLUMNS}
        for row in tpl.active_rows:
            for c in row.columns:
                assert columns["active_disclosure"][c.key].startswith(c.label)
    # The page's script carries no copy of the template's labels.
    script = client.get("/static/app.js").text
    assert not any(c.label in script for c in (*APP_COLUMNS, *REVIEW_COLUMNS) if len(c.label) > 2)
