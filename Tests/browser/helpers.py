"""Small page helpers: navigation, forms and explicit waits (no sleeps)."""
from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlparse

from selenium.common.exceptions import NoSuchElementException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import contract as C


def path_of(driver: WebDriver) -> str:
    return urlparse(driver.current_url).path or "/"


def describe(driver: WebDriver) -> str:
    """Where the browser is and what it shows, for assertion messages."""
    try:
        heading = " | ".join(h.text for h in driver.find_elements(By.CSS_SELECTOR, "h1"))
        alerts = " | ".join(a.text for a in driver.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        body = driver.find_element(By.TAG_NAME, "body").text[:400].replace("\n", " / ")
    except Exception as error:  # pragma: no cover - diagnostics only
        return f"url={driver.current_url} (could not read page: {error})"
    return f"url={driver.current_url} h1={heading!r} alerts={alerts!r} body={body!r}"


def wait(driver: WebDriver, timeout: float) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def open_path(driver: WebDriver, base_url: str, path: str) -> None:
    driver.get(base_url + path)


def wait_for_path(driver: WebDriver, path: str, timeout: float) -> None:
    try:
        wait(driver, timeout).until(lambda d: path_of(d) == path)
    except TimeoutException:
        raise AssertionError(f"expected to arrive at {path}, but: {describe(driver)}") from None


def field(driver: WebDriver, name: str) -> WebElement:
    try:
        return driver.find_element(By.NAME, name)
    except NoSuchElementException:
        raise AssertionError(f"no input named {name!r} on the page: {describe(driver)}") from None


def fill(driver: WebDriver, values: dict[str, str]) -> None:
    for name, value in values.items():
        element = field(driver, name)
        element.clear()
        element.send_keys(value)


def submit_button(driver: WebDriver, text: str) -> WebElement:
    xpath = (
        f"//button[normalize-space(.)='{text}' and (not(@type) or @type='submit')]"
        f" | //input[@type='submit' and @value='{text}']"
    )
    buttons = driver.find_elements(By.XPATH, xpath)
    if not buttons:
        raise AssertionError(f"no submit button {text!r} on the page: {describe(driver)}")
    return buttons[0]


def mark_page(driver: WebDriver) -> None:
    """Marks the current document, so `wait_for_new_page` can tell when it was replaced."""
    driver.execute_script("window.__mutualOldPage = true;")


def wait_for_new_page(driver: WebDriver, timeout: float, what: str) -> None:
    """Waits until the marked document was replaced by a fully loaded new one."""
    def replaced(d):
        try:
            return d.execute_script(
                "return document.readyState === 'complete' && !window.__mutualOldPage;"
            )
        except WebDriverException:  # mid-navigation the old document may refuse scripts
            return False

    try:
        wait(driver, timeout).until(replaced)
    except TimeoutException:
        raise AssertionError(f"{what} did not load a new page: {describe(driver)}") from None


def submit(driver: WebDriver, text: str, timeout: float) -> None:
    """Clicks the submit button with this text and waits until a new page has loaded."""
    button = submit_button(driver, text)
    mark_page(driver)
    button.click()
    wait_for_new_page(driver, timeout, f"submitting {text!r}")


def visible_alert(driver: WebDriver, timeout: float, element_id: str | None = None) -> WebElement:
    """Waits for a visible, non-empty element with role=alert (optionally with this id)."""
    css = f"#{element_id}[role=alert]" if element_id else "[role=alert]"

    def found(d):
        for element in d.find_elements(By.CSS_SELECTOR, css):
            if element.is_displayed() and element.text.strip():
                return element
        return False

    try:
        return wait(driver, timeout).until(found)
    except TimeoutException:
        raise AssertionError(f"no visible {css} with text: {describe(driver)}") from None


def heading_text(driver: WebDriver, timeout: float) -> str:
    wait(driver, timeout).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    return driver.find_element(By.TAG_NAME, "h1").text


def sign_out_form(driver: WebDriver) -> WebElement | None:
    forms = driver.find_elements(By.CSS_SELECTOR, C.SIGN_OUT_FORM_CSS)
    return forms[0] if forms else None


def sign_in(driver: WebDriver, base_url: str, email: str, password: str, timeout: float) -> None:
    open_path(driver, base_url, C.SIGN_IN)
    wait_for_path(driver, C.SIGN_IN, timeout)
    fill(driver, {"email": email, "password": password})
    submit(driver, C.SIGN_IN_SUBMIT, timeout)
    wait_for_path(driver, C.DASHBOARD, timeout)


def http_status(url: str, timeout: float) -> int:
    """The status of a plain GET without cookies (redirects followed)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def browser_fetch(driver: WebDriver, path: str, timeout: float) -> tuple[int, dict[str, str], str]:
    """GETs `path` from inside the page with the browser's own session (cookies), for what a
    browser would download rather than show (a CSV export): (status, headers, body text).
    The page must already be on the server's origin."""
    driver.set_script_timeout(timeout)
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin', cache: 'no-store'})
          .then(r => r.text().then(t => {
            const headers = {};
            r.headers.forEach((value, key) => { headers[key] = value; });
            done([r.status, headers, t]);
          }))
          .catch(e => done([0, {}, String(e)]));
        """,
        path,
    )
    status, headers, text = result
    return int(status), {str(k).lower(): str(v) for k, v in headers.items()}, text


def emailed_link(base_url: str, recipient: str, path_prefix: str, timeout: float) -> str:
    """The newest link under `path_prefix` (such as "/invitations/") in a message to `recipient`,
    read from the outbox of the server's SQLite database (MUTUAL_DATABASE, which scripts/test.sh
    sets): links such as an invitation's go only by email, never onto a page. Waits up to
    `timeout` seconds for the email job to run."""
    import os
    import re
    import sqlite3
    import time

    path = os.environ.get("MUTUAL_DATABASE", "")
    assert path and os.path.isfile(path), (
        f"MUTUAL_DATABASE ({path!r}) must name the server's SQLite file to read emailed links; run through scripts/test.sh")
    pattern = re.compile(re.escape(base_url + path_prefix) + r"[A-Za-z0-9_\-]+")
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout) as db:
            bodies = [row[0] for row in db.execute(
                "SELECT body FROM outbox_messages WHERE recipient = ? ORDER BY created_at", (recipient.lower(),))]
        links = [match.group(0) for body in bodies for match in pattern.finditer(body)]
        if links:
            return links[-1]
        assert time.monotonic() < deadline, f"no email to {recipient} with a {path_prefix} link within {timeout}s"
        time.sleep(0.2)
