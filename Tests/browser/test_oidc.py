"""OpenID Connect sign-in in a real browser against a real local provider: issue 17's first
"Done when" bullet.

`oidc-provider-mock` (PyPI) runs as a subprocess on a free loopback port; `mutual serve` runs on
a fresh SQLite file loaded by `mutual demo`, with MUTUAL_OIDC_* pointing at the provider. Headless
Chromium clicks "Sign in with Mock ID", signs in on the provider's page as a demo person who has
no Mutual account yet, and lands on the dashboard as them (the account is made on first sign-in).
Then: the provider's answer used a second time, a `state` Mutual never issued, an old code with a
fresh state, and an address no organisation knows are each refused with their own message.

Screenshots of the sign-in page with the button at 1366 and 390 px go to
Tests/browser/artifacts/sign-in-sso-*.png.

Env: MUTUAL_BIN.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By

import helpers as H
import mutual_processes as mp

ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"
PROVIDER_NAME = "Mock ID"


@pytest.fixture
def provider(request):
    """oidc-provider-mock on a free loopback port, as its issuer URL."""
    requests = mp.requests_module()
    try:
        import oidc_provider_mock  # noqa: F401
    except ImportError:
        mp.unavailable("oidc-provider-mock is not installed (pip install -r scripts/python-requirements.txt)")
    port = mp.free_port()
    workdir = mp.new_workdir("mutual-oidc-provider-")
    log_path = os.path.join(workdir, "provider.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, preexec_fn=mp._die_with_parent,
        )
    issuer = f"http://127.0.0.1:{port}"

    def ready():
        if process.poll() is not None:
            raise AssertionError(f"oidc-provider-mock exited:\n{pathlib.Path(log_path).read_text(errors='replace')[-2000:]}")
        try:
            return requests.get(issuer + "/.well-known/openid-configuration", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    mp.wait_until(ready, 30, what="oidc-provider-mock to answer discovery")
    try:
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def server(request, provider):
    """A demo-loaded `mutual serve` signing in through `provider`, as (server, database path)."""
    workdir = mp.new_workdir("mutual-oidc-")
    database = mp.demo_database(workdir, "oidc")
    env = mp.server_environment(
        MUTUAL_OIDC_ISSUER=provider, MUTUAL_OIDC_CLIENT_ID="mutual-browser-test",
        MUTUAL_OIDC_CLIENT_SECRET="browser-test-secret", MUTUAL_OIDC_NAME=PROVIDER_NAME,
    )
    served = mp.MutualServer("oidc", database, workdir, env).start()
    try:
        yield served, database
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(f"\n--- last lines of the server's log ---\n{served.log_tail(60)}")
        served.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def demo_person_without_account(database: str) -> tuple[str, str]:
    """A demo directory person who has never had a Mutual account: (name, email)."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT name, email FROM people WHERE email IS NOT NULL AND email <> '' "
            "AND id NOT IN (SELECT person_id FROM accounts) ORDER BY name LIMIT 1"
        ).fetchone()
    assert row, "the demo has no person without an account"
    return row[0], row[1].lower()


def account_count(database: str, email: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM accounts JOIN logins ON logins.id = accounts.login_id WHERE logins.email = ?", (email,)
        ).fetchone()[0]


def register_user(issuer: str, email: str) -> None:
    """Tells the provider who `email` is: a user whose address it has verified."""
    requests = mp.requests_module()
    answer = requests.put(f"{issuer}/users/{email}", json={"email": email, "email_verified": True}, timeout=10)
    assert answer.status_code == 204, f"registering {email} at the provider: {answer.status_code} {answer.text[:200]}"


def shoot_sign_in(driver, base: str, timeout: float) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    H.open_path(driver, base, "/sign-in")
    H.wait_for_path(driver, "/sign-in", timeout)
    for width, height in ((1366, 900), (390, 844)):
        driver.set_window_size(width, height)
        time.sleep(0.2)  # let the layout settle at the new width
        driver.save_screenshot(str(ARTIFACTS / f"sign-in-sso-{width}.png"))
    driver.set_window_size(1280, 1000)


def click_single_sign_on(driver, base: str, issuer: str, timeout: float) -> None:
    """From Mutual's sign-in page to the provider's page."""
    H.open_path(driver, base, "/sign-in")
    H.wait_for_path(driver, "/sign-in", timeout)
    button = driver.find_element(By.ID, "single-sign-on")
    assert button.text == f"Sign in with {PROVIDER_NAME}", H.describe(driver)
    H.mark_page(driver)
    button.click()
    H.wait_for_new_page(driver, timeout, "the single sign-on button")
    assert driver.current_url.startswith(issuer + "/oauth2/authorize?"), H.describe(driver)
    query = parse_qs(urlsplit(driver.current_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0], driver.current_url
    assert query["state"][0] and query["nonce"][0], driver.current_url


def authorize_at_provider(driver, subject: str, timeout: float) -> None:
    """Types the subject into the provider's form and presses Authorize."""
    field = driver.find_element(By.NAME, "sub")
    field.clear()
    field.send_keys(subject)
    H.submit(driver, "Authorize", timeout)


def callback_from_provider(driver, subject: str) -> str:
    """Authorises at the provider outside the browser (the provider keeps no session) and returns
    the callback URL it redirects to, so the test can open it (and open it again) itself."""
    requests = mp.requests_module()
    answer = requests.post(driver.current_url, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), f"the provider answered {answer.status_code}: {answer.text[:300]}"
    return answer.headers["Location"]


def alert_text(driver, timeout: float) -> str:
    return H.visible_alert(driver, timeout, "form-error").text


def test_sign_in_through_the_provider_and_refusals(server, provider, driver, timeout):
    served, database = server
    base = served.url
    name, email = demo_person_without_account(database)
    register_user(provider, email)
    assert account_count(database, email) == 0

    shoot_sign_in(driver, base, timeout)

    # Sign in through the provider's own page, as the person would.
    click_single_sign_on(driver, base, provider, timeout)
    authorize_at_provider(driver, email, timeout)
    H.wait_for_path(driver, "/dashboard", timeout)
    assert H.sign_out_form(driver) is not None, H.describe(driver)
    assert name.split()[0] in driver.find_element(By.TAG_NAME, "body").text, H.describe(driver)
    assert account_count(database, email) == 1

    # Sign out; sign in again, keeping the provider's answer to use it twice.
    H.sign_out_form(driver).submit()
    H.wait_for_path(driver, "/sign-in", timeout)
    click_single_sign_on(driver, base, provider, timeout)
    callback = callback_from_provider(driver, email)
    assert callback.startswith(base + "/sign-in/oidc/callback?"), callback
    driver.get(callback)
    H.wait_for_path(driver, "/dashboard", timeout)
    assert account_count(database, email) == 1, "a second sign-in made a second account"
    H.sign_out_form(driver).submit()
    H.wait_for_path(driver, "/sign-in", timeout)

    # The same answer again (a replayed code with its state): refused, still signed out.
    driver.get(callback)
    message = alert_text(driver, timeout)
    assert "already used" in message, message
    assert H.sign_out_form(driver) is None

    # The old code with a fresh, genuine state: the provider refuses the code.
    click_single_sign_on(driver, base, provider, timeout)
    fresh_state = parse_qs(urlsplit(driver.current_url).query)["state"][0]
    old_code = parse_qs(urlsplit(callback).query)["code"][0]
    driver.get(f"{base}/sign-in/oidc/callback?" + urlencode({"code": old_code, "state": fresh_state}))
    message = alert_text(driver, timeout)
    assert "no longer accepts this sign-in" in message, message
    assert H.sign_out_form(driver) is None

    # A forged state.
    driver.get(f"{base}/sign-in/oidc/callback?" + urlencode({"code": "made-up", "state": "forged-state-value"}))
    message = alert_text(driver, timeout)
    assert "did not start from this browser" in message, message
    assert H.sign_out_form(driver) is None

    # An address the provider vouches for but no organisation knows.
    stranger = "nobody-here@unknown.example"
    register_user(provider, stranger)
    click_single_sign_on(driver, base, provider, timeout)
    authorize_at_provider(driver, stranger, timeout)
    message = alert_text(driver, timeout)
    assert "no organisation in Mutual has a member or a person with that address" in message, message
    assert "admin" in message, message
    assert H.sign_out_form(driver) is None
    assert account_count(database, stranger) == 0
