"""Fixtures for the real-browser suite: headless Debian Chromium via chromedriver.

The suite runs against a server that `scripts/test.sh` starts on a fresh SQLite file and
names in MUTUAL_URL. Each `driver` / `second_driver` is its own Chromium process with its
own profile, so their cookies (sessions) are independent.

Env:
  MUTUAL_URL               base URL of the running server (required)
  MUTUAL_REQUIRE_SERVICES  "1": a missing browser or URL fails instead of skipping
  CHROMIUM_BIN             default /usr/bin/chromium
  CHROMEDRIVER             default /usr/bin/chromedriver
  MUTUAL_BROWSER_TIMEOUT   seconds for each explicit wait (default 30; debug builds hash
                           passwords slowly)
  MUTUAL_BROWSER_ARTIFACTS where a failing test leaves a screenshot and the page's HTML
                           (default /tmp/mutual-browser-artifacts)
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

REQUIRED = os.environ.get("MUTUAL_REQUIRE_SERVICES") == "1"
CHROMIUM_BIN = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
TIMEOUT = float(os.environ.get("MUTUAL_BROWSER_TIMEOUT", "30"))
ARTIFACTS = Path(os.environ.get("MUTUAL_BROWSER_ARTIFACTS", "/tmp/mutual-browser-artifacts"))


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (MUTUAL_REQUIRE_SERVICES=1, so this fails rather than skips)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("MUTUAL_URL", "").rstrip("/")
    if not url:
        _unavailable("MUTUAL_URL is not set; run the suite through scripts/test.sh")
    return url


@pytest.fixture(scope="session")
def timeout() -> float:
    return TIMEOUT


def _new_driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("Python selenium is not installed (bash scripts/install-test-deps.sh)")
    for path in (CHROMIUM_BIN, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            _unavailable(f"{path} is missing (bash scripts/install-test-deps.sh)")

    profile = tempfile.mkdtemp(prefix="mutual-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM_BIN
    for arg in (
        "--headless=new",
        "--no-sandbox",  # we run as root in CI
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        "--no-proxy-server",  # the server is on loopback; never wait on proxy detection
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--lang=en-GB",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    # An explicit chromedriver path keeps Selenium Manager from trying to download one.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(TIMEOUT)
    driver._mutual_profile = profile  # removed on quit
    return driver


def _quit(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(getattr(driver, "_mutual_profile", ""), ignore_errors=True)


def _keep_artifacts(request, driver, label: str) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{request.node.name}-{label}")
    try:
        driver.save_screenshot(str(ARTIFACTS / f"{stem}.png"))
        (ARTIFACTS / f"{stem}.html").write_text(
            f"<!-- {driver.current_url} -->\n{driver.page_source}", encoding="utf-8"
        )
        print(f"\n[browser] {label}: {driver.current_url} — screenshot and HTML in {ARTIFACTS}/{stem}.*")
    except Exception as error:  # the browser may be the thing that broke
        print(f"\n[browser] could not save artifacts for {label}: {error}")


@pytest.fixture
def driver(request):
    """A fresh browser (fresh cookies) for one test."""
    d = _new_driver()
    yield d
    _keep_artifacts(request, d, "driver")
    _quit(d)


@pytest.fixture
def second_driver(request):
    """A second, independent browser with its own session, for the other person."""
    d = _new_driver()
    yield d
    _keep_artifacts(request, d, "second_driver")
    _quit(d)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
