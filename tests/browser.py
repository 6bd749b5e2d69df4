"""A real headless Chromium, driven by Selenium, with axe-core's accessibility rules."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip(
            "Chromium and its driver are not installed (Debian: chromium, chromium-driver; "
            "`make test` installs them as root)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    # No network beyond the pages: Chromium's own background calls would be refused.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield session
    finally:
        session.quit()
        shutil.rmtree(profile, ignore_errors=True)


def violations(browser, page: Path, width: int = 1280) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on `page` at a window `width` wide, one line each."""
    from selenium_axe_python import Axe

    browser.set_window_size(width, 900)
    browser.get(page.as_uri())
    Axe(browser).inject()
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_AA}})
    found = browser.execute_async_script(  # a failing run answers at once, not at the timeout
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {options}).then(done, e => done({{error: String(e)}}));"
    )
    assert "error" not in found, found
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in found["violations"]
    ]


def screenshot(browser, page: Path, width: int, to: Path) -> None:
    """The whole page at `width` as a PNG."""
    browser.set_window_size(width, 900)
    browser.get(page.as_uri())
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(height + 100, 12000))
    browser.save_screenshot(str(to))
