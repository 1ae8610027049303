"""The class dashboard in a real headless Chromium: no console errors, nothing fetched, no overflow on a phone.

Skips with the reason where Playwright or Debian's chromium is not installed (`.ci/run` installs it when it can).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no browser: {CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    from bench_out import synthetic_dashboard

    return synthetic_dashboard(60, tmp_path_factory.mktemp("dash") / "out")


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_loads_offline_without_errors_or_overflow(browser, dashboard, tmp_path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(dashboard.as_uri())
    page.screenshot(path=str(tmp_path / f"dashboard-{width}.png"), full_page=True)
    assert errors == [] and requests == []
    assert page.locator("#grid tbody tr").count() == 60
    assert page.locator("svg.hist").count() == 5 and page.locator("svg.hist rect").count() > 0
    assert page.locator("td.missing").count() > 0
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    page.close()


def test_clicking_the_total_header_sorts_the_grid(browser, dashboard):
    page = browser.new_page()
    page.goto(dashboard.as_uri())
    page.locator("#grid thead th").last.click()
    totals = page.eval_on_selector_all("#grid tbody tr td:last-child", "els => els.map(e => +e.dataset.v)")
    assert totals == sorted(totals) and totals[0] < totals[-1]
    page.close()
