"""The clerk's page in a real browser: headless Chromium driven by Selenium.

Uploads a seed and a report with a planted error to a real `nianbao serve`, and checks the
verdict, the highlighted cell and its message, reaching a cell and a line from the findings
list with the keyboard, and that neither the page nor Swagger UI asks for anything outside
the service. Screenshots go to tests/output/ (ignored by git); their paths are printed.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
test is skipped on a developer's machine and FAILS under CI (`CI` set).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reports import report, values
from server_process import Server, serve

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "output"
SEED = ROOT / "tests" / "golden" / "seed-000" / "input.txt"
# This machine has no network: without these flags Chromium waits on refused connections.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1440,1000", "--lang=zh-CN")


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    message = "Chromium and chromedriver are needed (apt-get install chromium chromium-driver fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run the browser test")
    pytest.skip(message)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve(log_level="warning") as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium, driver_path = _browser_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="nianbao-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _requested(driver: object) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _outside(urls: list[str], base: str) -> list[str]:
    """Network requests not to the service (the browser's own chrome:// pages are none)."""
    network = [u for u in urls if u.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
    return [u for u in network if not u.startswith(base + "/")]


def _wait(driver: object, condition: object, seconds: float = 30) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)  # type: ignore[arg-type]


def _upload(driver: object, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "report-file").clear()  # type: ignore[attr-defined]
    driver.find_element(By.ID, "report-file").send_keys(str(path))  # type: ignore[attr-defined]
    before = driver.find_element(By.ID, "verdict").text  # type: ignore[attr-defined]
    driver.find_element(By.ID, "submit").click()  # type: ignore[attr-defined]
    _wait(driver, lambda d: d.find_element(By.ID, "verdict").text not in ("", before)
          and not d.find_element(By.ID, "submit").get_attribute("disabled"))


def screenshot(driver: object, name: str) -> Path:
    """The whole page, not only the window."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    height = driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    driver.set_window_size(1440, min(int(height) + 100, 6000))  # type: ignore[attr-defined]
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    driver.set_window_size(1440, 1000)  # type: ignore[attr-defined]
    print(f"screenshot: {path}")
    return path


def test_page_shows_the_verdict_tables_and_the_wrong_cell(server: Server, browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser
    d.get(server.url + "/")  # type: ignore[attr-defined]
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"  # type: ignore[attr-defined]

    _upload(d, SEED)
    assert d.find_element(By.ID, "verdict").text.startswith("✓ 通过")  # type: ignore[attr-defined]
    assert len(d.find_elements(By.CSS_SELECTOR, "#tables table")) == 3  # type: ignore[attr-defined]
    # A finding located by line only reaches the line in the numbered source.
    d.find_element(By.CSS_SELECTOR, ".group-warning .finding[data-code=subheading-numbering]").send_keys(Keys.ENTER)  # type: ignore[attr-defined]
    _wait(d, lambda d: d.switch_to.active_element.get_attribute("id") == "line-9")

    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    planted = tmp_path / "planted.txt"
    planted.write_text(report(v), encoding="utf-8")
    _upload(d, planted)
    verdict = d.find_element(By.ID, "verdict").text  # type: ignore[attr-defined]
    assert verdict.startswith("✗ 不通过") and "1 个错误" in verdict

    cell = d.find_element(By.ID, "cell--applications--granted--natural_person")  # type: ignore[attr-defined]
    assert "flag-error" in cell.get_attribute("class").split()
    assert cell.text.startswith(str(v["applications"]["granted"]["natural_person"]))
    (note_id,) = cell.get_attribute("aria-describedby").split()
    note = d.find_element(By.ID, note_id)  # type: ignore[attr-defined]
    assert "自然人" in note.text and "应为" in note.text and note.is_displayed()
    # Only that cell is flagged as an error.
    assert len(d.find_elements(By.CSS_SELECTOR, "#tables .flag-error")) == 1  # type: ignore[attr-defined]

    (finding,) = d.find_elements(By.CSS_SELECTOR, ".group-error .finding")  # type: ignore[attr-defined]
    assert "cell-likely-wrong" in finding.text
    finding.send_keys(Keys.ENTER)
    _wait(d, lambda d: d.switch_to.active_element.get_attribute("id") == cell.get_attribute("id"))
    assert "reached" in cell.get_attribute("class").split()
    d.execute_script("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    screenshot(d, "page-planted-error.png")
    assert _outside(_requested(d), server.url) == []


def test_pasted_text_with_last_years_report(server: Server, browser: object, tmp_path: Path) -> None:
    """The page works with the optional `previous` part, whether or not the server reads it."""
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server.url + "/")  # type: ignore[attr-defined]
    v = values()
    v["reviews_litigation"]["review"]["upheld"] += 2
    d.execute_script("document.getElementById('report-text').value = arguments[0]", report(v))  # type: ignore[attr-defined]
    previous = tmp_path / "last-year.txt"
    previous.write_text(report(year=2022), encoding="utf-8")
    d.find_element(By.ID, "previous-file").send_keys(str(previous))  # type: ignore[attr-defined]
    d.find_element(By.ID, "submit").click()  # type: ignore[attr-defined]
    _wait(d, lambda d: d.find_element(By.ID, "verdict").text)
    assert d.find_element(By.ID, "verdict").text.startswith("✗ 不通过")  # type: ignore[attr-defined]
    cell = d.find_element(By.ID, "cell--reviews_litigation--review--total")  # type: ignore[attr-defined]
    assert "flag-error" in cell.get_attribute("class").split()
    # (the row total disagrees with its parts: the finding is at the total)
    # Pasted text is shown with line numbers, the finding's line flagged.
    assert d.find_elements(By.CSS_SELECTOR, "#source-lines li.flag-error")  # type: ignore[attr-defined]


def test_unreadable_file_gets_the_problem_in_chinese(server: Server, browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server.url + "/")  # type: ignore[attr-defined]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    d.find_element(By.ID, "report-file").send_keys(str(broken))  # type: ignore[attr-defined]
    d.find_element(By.ID, "submit").click()  # type: ignore[attr-defined]
    _wait(d, lambda d: d.find_element(By.ID, "error").is_displayed())
    assert "无法读取的文档" in d.find_element(By.ID, "error").text  # type: ignore[attr-defined]
    assert not d.find_element(By.ID, "results").is_displayed()  # type: ignore[attr-defined]


def test_controls_are_labelled(server: Server, browser: object) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server.url + "/")  # type: ignore[attr-defined]
    for control in d.find_elements(By.CSS_SELECTOR, "input, textarea"):  # type: ignore[attr-defined]
        cid = control.get_attribute("id")
        assert d.find_elements(By.CSS_SELECTOR, f"label[for='{cid}']"), cid  # type: ignore[attr-defined]


def test_swagger_ui_renders_with_nothing_from_outside(server: Server, browser: object) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    _requested(d)  # drop earlier entries
    d.get(server.url + "/schema/swagger")  # type: ignore[attr-defined]
    _wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .info .title"))
    assert "nianbao" in d.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text  # type: ignore[attr-defined]
    _wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock"))
    screenshot(d, "swagger-ui.png")
    assert _outside(_requested(d), server.url) == []
