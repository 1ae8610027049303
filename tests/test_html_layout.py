"""The HTML report fits a phone: no horizontal scrolling at 360 px, checked in a real headless browser.

Needs Debian's `chromium` (/usr/bin/chromium) and Playwright for Python (the `test` extra); the
browser Playwright would download is never used. Without them the test skips, saying why.
"""

from __future__ import annotations

import os
import shutil

import pytest

from grader.report import html
from grader.results import CheckResult, ExerciseResult

CHROMIUM = os.environ.get("GRADER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def _browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    return sync_api


def _report() -> str:
    """A report with everything that can widen it: long words, long paths, long messages, tensor details."""
    details = {"shape": "[128, 4096]", "dtype": "float32", "mismatched": 524288, "total": 524288,
               "max_abs_error": 0.0123456789, "max_rel_error": 12345.678901, "where": [127, 4095],
               "actual_value": -0.123456789, "expected_value": 0.987654321, "rtol": 1.3e-06, "atol": 1e-05,
               "a_very_long_detail_name_without_spaces": "x" * 200}
    frames = [{"file": "a_rather_long_student_file_name_" + "y" * 60 + ".py", "line": 123456, "function": "f" * 80,
               "code": "result = torch.where(mask, " + "z" * 200 + ")"}]
    message = ("output differs from the reference: " + "w" * 300 + " (did you forget to apply dropout with "
               "dropout=1.0 in training mode?) " + "long sentence " * 40)
    checks = [CheckResult(f"check_with_a_long_id_{i}_" + "q" * 60, "A check name that goes on " * 5, "03.1", outcome,
                          0, 3, "visible", message, 0.5, frames, details, {"stdout": "p" * 500, "stderr": ""})
              for i, outcome in enumerate(["failed", "error", "timeout", "not_run", "passed"])]
    result = ExerciseResult("03_residual_mlp", "Residual MLP", "submissions/" + "s" * 120 + "/03_residual_mlp", checks,
                            {"duration_s": 1.0, "sandbox": {"enforced": ["a" * 300], "not_enforced": []}})
    return html.render([result], {"device": "cpu", "torch": "2.13.0+cpu", "seed": 0})


@pytest.mark.parametrize("width", [360, 420])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_report_fits_a_phone_screen(tmp_path, width, lang):
    sync_api = _browser()
    page_file = tmp_path / "report.html"
    page_file.write_text(_report() if lang == "en" else _report().replace('lang="en"', 'lang="ja"'), encoding="utf-8")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            scroll_width, inner_width = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]")
        finally:
            browser.close()
    assert inner_width == width
    assert scroll_width <= inner_width, f"the report scrolls sideways: {scroll_width} px at {inner_width} px"
    assert not errors


def test_the_report_names_every_checks_id():
    """What -k matches is in the report, next to each check (no browser needed)."""
    page = _report()
    assert all(f"check_with_a_long_id_{i}_" in page for i in range(5))
