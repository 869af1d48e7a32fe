"""Real `mutual serve` processes, throw-away PostgreSQL databases and a small API client, for the
tests that start servers of their own (replicas, SMTP delivery) instead of using MUTUAL_URL.

Env:
  MUTUAL_BIN               the mutual binary (scripts/test.sh sets it)
  MUTUAL_TEST_POSTGRES     postgres://USER:PASSWORD@HOST:PORT/DB whose role may CREATE DATABASE
  MUTUAL_REQUIRE_SERVICES  "1": a missing binary, database or psql fails instead of skipping

Every process started here gets PR_SET_PDEATHSIG=SIGKILL, so even a pytest that is itself killed
outright leaves no server behind; the fixtures also stop them and drop their databases.
"""
from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REQUIRED = os.environ.get("MUTUAL_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (MUTUAL_REQUIRE_SERVICES=1, so this fails rather than skips)", pytrace=False)
    pytest.skip(reason)


def mutual_binary() -> str:
    binary = os.environ.get("MUTUAL_BIN", "")
    if not (binary and os.path.isfile(binary) and os.access(binary, os.X_OK)):
        unavailable("MUTUAL_BIN does not name the built mutual binary; run through scripts/test.sh")
    return binary


def requests_module():
    try:
        import requests
    except ImportError:
        unavailable("Python requests is not installed (bash scripts/install-test-deps.sh)")
    return requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, interval: float = 0.2, what: str = "the condition"):
    """Calls `condition` until it returns something truthy (returned) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# --- PostgreSQL ------------------------------------------------------------------------------

class PostgresDatabase:
    """A database of its own on the MUTUAL_TEST_POSTGRES server, created and dropped with psql."""

    def __init__(self, admin_url: str, prefix: str):
        self.admin_url = admin_url
        self.name = f"{prefix}_{secrets.token_hex(4)}"
        parts = urlsplit(admin_url)
        self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, parts.query, parts.fragment))
        self.created = False

    def _psql(self, url: str, sql: str, timeout: float = 60) -> str:
        result = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\x1f", "-d", url, "-c", sql],
            capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise AssertionError(f"psql failed ({result.returncode}) on {sql[:200]!r}: {result.stderr.strip()}")
        return result.stdout

    def create(self) -> "PostgresDatabase":
        self._psql(self.admin_url, f'CREATE DATABASE "{self.name}"')
        self.created = True
        return self

    def drop(self) -> None:
        if self.created:
            # FORCE ends the connections a killed replica may have left (PostgreSQL 13+).
            self._psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False

    def rows(self, sql: str) -> list[list[str]]:
        """The rows of a query, every value as text (NULL as an empty string)."""
        out = self._psql(self.url, sql)
        return [line.split("\x1f") for line in out.splitlines() if line != ""]


def postgres_admin_url() -> str:
    url = os.environ.get("MUTUAL_TEST_POSTGRES", "")
    if not url:
        unavailable("MUTUAL_TEST_POSTGRES is not set (scripts/test.sh starts PostgreSQL and sets it)")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        unavailable(f"MUTUAL_TEST_POSTGRES is not a postgres:// URL: {url}")
    if shutil.which("psql") is None:
        unavailable("psql is not installed (bash scripts/install-test-deps.sh installs PostgreSQL)")
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=5).close()
    except OSError as error:
        unavailable(f"PostgreSQL at MUTUAL_TEST_POSTGRES is not reachable: {error}")
    return url


# --- mutual serve ----------------------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():  # runs in the child between fork and exec
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def clean_environment(**extra: str) -> dict[str, str]:
    """The test's environment without any Mutual setting of its own (a developer's
    MUTUAL_SMTP_URL or DATABASE_URL must not leak into a server under test), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not (k.startswith("MUTUAL_") or k == "DATABASE_URL")}
    env.update(extra)
    return env


class MutualServer:
    """One `mutual serve` process; can be killed with SIGKILL and started again on its port."""

    def __init__(self, name: str, database: str, workdir: str, env: dict[str, str], port: int | None = None):
        self.name = name
        self.database = database
        self.workdir = workdir
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(workdir) / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.pids: list[int] = []

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was never started"
        return self.process.pid

    def start(self, timeout: float = 90) -> "MutualServer":
        binary = mutual_binary()
        with open(self.log_path, "ab") as log:
            log.write(f"\n==== {time.strftime('%H:%M:%S')} starting {self.name} on port {self.port}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--database", self.database,
                 "--base-url", self.env.get("MUTUAL_BASE_URL", self.url)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.workdir,
                preexec_fn=_die_with_parent,
            )
        self.pids.append(self.process.pid)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        requests = requests_module()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode} while starting:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} did not answer /readyz with 200 within {timeout:.0f} s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no lease handed back, connections cut mid-request."""
        assert self.alive(), f"{self.name} is not running"
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        with open(self.log_path, "ab") as log:
            log.write(f"\n==== {time.strftime('%H:%M:%S')} {self.name} killed with SIGKILL\n".encode())

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return f"({self.log_path} unreadable)"
        return "\n".join(f"    [{self.name}] {line}" for line in text[-lines:])


def worker_pid(claimed_by: str | None) -> int | None:
    """The pid in a worker id `host:pid:random` (None when it has none)."""
    if not claimed_by:
        return None
    parts = claimed_by.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        raise AssertionError(f"claimed_by {claimed_by!r} is not host:pid:random")
    return int(parts[1])


def new_workdir(prefix: str) -> str:
    return tempfile.mkdtemp(prefix=prefix)


def server_environment(**extra: str) -> dict[str, str]:
    """The settings every server in these tests shares: a fixed secret per test (the same on all
    replicas), cheap password hashing (the debug build's bcrypt is slow) and info logs."""
    settings = {
        "MUTUAL_SECRET": secrets.token_hex(32),
        "MUTUAL_PASSWORD_COST": "4",
        "MUTUAL_LOG_LEVEL": "info",
    }
    settings.update(extra)
    return clean_environment(**settings)


# --- the web forms and the API ---------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NEW_TOKEN = re.compile(r'<code id="new-token">([^<]+)</code>')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, f"no csrf_token field in the page: {html[:300]!r}"
    return match.group(1)


class Admin:
    """The first admin of a fresh server, set up through the /setup form, with an API token
    made on the API tokens page; `get`/`post` call the JSON API of any replica with it."""

    def __init__(self, base_url: str, organisation: str = "Test Org", name: str = "Ada Admin",
                 email: str = "admin@tests.mutual.example", password: str = "correct-horse-battery-staple"):
        requests = requests_module()
        self.email, self.password, self.name = email, password, name
        self.browser = requests.Session()
        page = self.browser.get(base_url + "/setup", timeout=30)
        assert page.status_code == 200 and "/setup" in page.url, f"expected the setup page, got {page.status_code} {page.url}"
        answer = self.browser.post(
            base_url + "/setup",
            data={"csrf_token": csrf_token(page.text), "organisation_name": organisation, "name": name,
                  "email": email, "password": password},
            allow_redirects=False, timeout=60)
        assert answer.status_code == 303 and answer.headers.get("Location") == "/dashboard", (
            f"setup did not sign the admin in: {answer.status_code} {answer.headers.get('Location')} {answer.text[:300]!r}")
        page = self.browser.get(base_url + "/account/tokens", timeout=30)
        assert page.status_code == 200, f"/account/tokens answered {page.status_code}"
        made = self.browser.post(base_url + "/account/tokens", data={"csrf_token": csrf_token(page.text), "name": "tests"}, timeout=30)
        match = NEW_TOKEN.search(made.text)
        assert made.status_code == 200 and match, f"no new token on the tokens page: {made.status_code} {made.text[:300]!r}"
        self.token = match.group(1)
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {self.token}"

    def get(self, base_url: str, path: str, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.api.get(base_url + path, **kwargs)

    def post(self, base_url: str, path: str, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.api.post(base_url + path, **kwargs)

    def jobs(self, base_url: str, status: str | None = None, per_page: int = 500) -> list[dict]:
        params = {"per_page": str(per_page)}
        if status:
            params["status"] = status
        answer = self.get(base_url, "/api/v1/jobs", params=params)
        assert answer.status_code == 200, f"GET /api/v1/jobs answered {answer.status_code}: {answer.text[:300]}"
        return answer.json()["items"]


# --- members of the demo organisation and invitations ----------------------------------------

DEMO_ADMIN = ("admin@demo.mutual.example", "demo-admin-password")
DEMO_PARTICIPANT = "ana.silva@demo.mutual.example"
INVITATION_PATH = re.compile(r"/invitations/[A-Za-z0-9_\-]+")


class Member:
    """A member signed in through the sign-in form (`browser`, a session with its cookies), with
    an API token made on the API tokens page (`api`; `call` checks the status and reads JSON)."""

    def __init__(self, base: str, email: str, password: str, token_name: str = "tests"):
        requests = requests_module()
        self.email = email
        self.base = base
        self.browser = requests.Session()
        page = self.browser.get(base + "/sign-in", timeout=30)
        answer = self.browser.post(base + "/sign-in", data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
                                   allow_redirects=False, timeout=60)
        assert answer.status_code == 303, f"sign-in of {email} answered {answer.status_code}: {answer.text[:300]}"
        page = self.browser.get(base + "/account/tokens", timeout=30)
        made = self.browser.post(base + "/account/tokens", data={"csrf_token": csrf_token(page.text), "name": token_name}, timeout=30)
        match = NEW_TOKEN.search(made.text)
        assert match, f"no new token for {email}: {made.status_code} {made.text[:300]}"
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {match.group(1)}"

    def call(self, method: str, path: str, expected: int, **kwargs):
        answer = self.api.request(method, self.base + path, timeout=60, **kwargs)
        assert answer.status_code == expected, f"{method} {path} answered {answer.status_code}, not {expected}: {answer.text[:500]}"
        return answer.json() if answer.content else None


def invitation_link(database: str, recipient: str, timeout: float = 120) -> str:
    """The path of the newest invitation link emailed to `recipient`, read from the outbox of a
    SQLite server (the link goes only by email), waiting for the email job to write it."""
    def newest() -> str | None:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
            rows = db.execute("SELECT body FROM outbox_messages WHERE recipient = ? ORDER BY created_at DESC", (recipient.lower(),))
            return next((m.group(0) for (body,) in rows for m in [INVITATION_PATH.search(body)] if m), None)
    return wait_until(newest, timeout, what=f"an invitation email to {recipient}")


def settle_jobs(database: str, timeout: float = 300) -> None:
    """Waits until the demo's backlog of due jobs (the emails and events of loading it: every
    published match, its invitations, its audit entries) has run, so a test's own changes are
    not queued behind hundreds of them. A meeting's email is sent from the state at the time
    its job runs (a later change overtakes an earlier one), so a test that checks one email per
    change must start from an idle queue."""
    def idle() -> bool:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
            (due,) = db.execute("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND run_at <= ?", (time.time(),)).fetchone()
        return due == 0
    wait_until(idle, timeout, interval=0.5, what="the demo's due jobs to run")


def invite_and_accept(admin: Member, database: str, email: str, name: str, password: str) -> None:
    """The invitation walk: `admin` invites `email` as a participant through the API, the link is
    read from the outbox, and the invitee accepts it with `name` and `password` (a new login)."""
    answer = admin.api.request("POST", admin.base + "/api/v1/invitations", timeout=60, json={"email": email, "role": "participant"})
    # A demo person matched by a published run already has a pending invitation: the match
    # email carries its link (one pending invitation per address), which is the one to use.
    already = answer.status_code == 409 and "already invited" in answer.text
    assert answer.status_code == 201 or already, f"POST /api/v1/invitations answered {answer.status_code}: {answer.text[:500]}"
    link = invitation_link(database, email)
    browser = requests_module().Session()
    page = browser.get(admin.base + link, timeout=30)
    accepted = browser.post(admin.base + link, data={"csrf_token": csrf_token(page.text), "name": name, "password": password},
                            allow_redirects=False, timeout=60)
    assert accepted.status_code == 303, f"accepting {email}'s invitation: {accepted.status_code} {accepted.text[:300]}"


_demo_template: str | None = None


def demo_database(workdir: str, name: str) -> str:
    """A database of its own loaded with the demo organisation, at `workdir/name.sqlite`.
    `mutual demo` runs once per pytest session, into a template file (it takes 15 s and more in
    a debug build, and five modules start demo servers); each caller gets a copy, so no two
    servers share a database. The demo's data depends on neither the secret nor the port."""
    global _demo_template
    if _demo_template is None:
        template_dir = tempfile.mkdtemp(prefix="mutual-demo-template-")
        atexit.register(shutil.rmtree, template_dir, True)
        template = os.path.join(template_dir, "demo.sqlite")
        loaded = subprocess.run([mutual_binary(), "demo", "--database", template], env=server_environment(), cwd=template_dir,
                                capture_output=True, text=True, timeout=900)
        assert loaded.returncode == 0, f"mutual demo failed:\n{loaded.stdout[-2000:]}\n{loaded.stderr[-2000:]}"
        _demo_template = template
    database = os.path.join(workdir, f"{name}.sqlite")
    shutil.copyfile(_demo_template, database)
    # `mutual demo` leaves no write-ahead log when it closes cleanly; copy one if it did.
    if os.path.exists(_demo_template + "-wal"):
        shutil.copyfile(_demo_template + "-wal", database + "-wal")
    return database


@contextlib.contextmanager
def demo_server(request, name: str):
    """A server on a fresh copy of the demo database (`demo_database`), as `(server, database path)`;
    its log's tail is printed when the test using it failed."""
    workdir = new_workdir(f"mutual-{name}-")
    database = demo_database(workdir, name)
    env = server_environment()
    server = MutualServer(name, database, workdir, env).start()
    settle_jobs(database)
    try:
        yield server, database
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(f"\n--- last lines of the server's log ---\n{server.log_tail(60)}")
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
