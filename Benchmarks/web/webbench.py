#!/usr/bin/env python3
"""Load harness for a real `mutual serve`: builds a large organisation through the real import and
API, then drives each page and API endpoint with wrk and reports requests/s, p50 and p99 per
endpoint and the server's memory (idle, peak under load, 30 s after the load).

    python3 Benchmarks/web/webbench.py                  # both databases, 100,000 people, 20 s each
    python3 Benchmarks/web/webbench.py --quick          # 5,000 people, 5 s each: for development
    python3 Benchmarks/web/webbench.py --database sqlite --duration 10 --reuse

See Benchmarks/web/README.md for what each step does and every option.
"""
from __future__ import annotations

import argparse
import csv
import ctypes
import datetime
import io
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

try:
    import requests
except ImportError:  # pragma: no cover - said once, clearly
    sys.exit("webbench needs Python's requests: `pip install requests` or `bash scripts/install-test-deps.sh`")

REPO = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NEW_TOKEN = re.compile(r'<code id="new-token">([^<]+)</code>')
INVITATION_PATH = re.compile(r"/invitations/[A-Za-z0-9_\-]+")
ADMIN_EMAIL = "admin@webbench.mutual.example"
PASSWORD = "webbench-password-1"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError(f"no csrf_token field in the page: {html[:300]!r}")
    return match.group(1)


def expect(answer: requests.Response, status: int, what: str) -> requests.Response:
    if answer.status_code != status:
        raise RuntimeError(f"{what}: {answer.status_code}, expected {status}: {answer.text[:500]}")
    return answer


# --- tools -----------------------------------------------------------------------------------

def ensure_wrk() -> str:
    """wrk from Debian, installed when missing (root, or sudo)."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing Debian's wrk")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(prefix + ["apt-get", "update", "-qq"], check=True)
    subprocess.run(prefix + ["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed; install it (`apt-get install wrk`) and run again")
    return found


_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:  # between fork and exec: the server dies with the harness
    _libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc (VmRSS now, VmHWM its peak), in kB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f}"


# --- the database ----------------------------------------------------------------------------

class Database:
    """Where one run keeps its data: an SQLite file in the work directory, or a PostgreSQL
    database of its own (dropped and created again unless the setup is reused)."""

    def __init__(self, kind: str, workdir: Path, postgres_url: str):
        self.kind = kind
        if kind == "sqlite":
            self.path = workdir / "mutual.sqlite"
            self.url = str(self.path)
        else:
            parts = urlsplit(postgres_url)
            self.admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
            self.name = (parts.path.strip("/") or "mutual_webbench")
            self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, "", ""))

    def reset(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
        else:
            self.psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.psql(self.admin_url, f'CREATE DATABASE "{self.name}"')

    def psql(self, url: str, sql: str) -> str:
        result = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", url, "-c", sql],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed on {sql[:200]!r}: {result.stderr.strip()}")
        return result.stdout

    def scalar(self, sqlite_sql: str, postgres_sql: str, *parameters) -> str | None:
        """One value of a read-only query (the harness reads the outbox and the job queue)."""
        if self.kind == "sqlite":
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30) as db:
                row = db.execute(sqlite_sql, parameters).fetchone()
            return None if row is None or row[0] is None else str(row[0])
        out = self.psql(self.url, postgres_sql).strip()
        return out.splitlines()[0] if out else None

    def due_jobs(self) -> int:
        return int(self.scalar(
            "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND run_at <= ?",
            "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND run_at <= now()",
            time.time()) or 0)

    def invitation_link(self, email: str) -> str | None:
        body = self.scalar(
            "SELECT body FROM outbox_messages WHERE recipient = ? AND body LIKE '%/invitations/%' ORDER BY created_at DESC LIMIT 1",
            "SELECT replace(replace(body, chr(10), ' '), chr(13), ' ') FROM outbox_messages WHERE recipient = "
            f"'{email.lower()}' AND body LIKE '%/invitations/%' ORDER BY created_at DESC LIMIT 1",
            email.lower())
        match = INVITATION_PATH.search(body or "")
        return match.group(0) if match else None


# --- the server ------------------------------------------------------------------------------

class Server:
    def __init__(self, binary: str, database: Database, workdir: Path, port: int, secret: str, log_level: str):
        self.binary, self.database, self.port = binary, database, port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = workdir / "server.log"
        self.env = {k: v for k, v in os.environ.items() if not (k.startswith("MUTUAL_") or k == "DATABASE_URL")}
        # A fixed secret keeps sessions and CSRF cookies valid across the restart before measuring.
        # Cheap password hashing only speeds up the setup's sign-ins; no measured request hashes.
        self.env.update({"MUTUAL_SECRET": secret, "MUTUAL_PASSWORD_COST": "4", "MUTUAL_LOG_LEVEL": log_level})
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 600) -> None:
        with open(self.log_path, "ab") as out:
            out.write(f"\n==== {time.strftime('%H:%M:%S')} starting on port {self.port}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--database", self.database.url,
                 "--base-url", self.url],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=self.log_path.parent,
                preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode} while starting; see {self.log_path}")
            try:
                if requests.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not become ready in {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


# --- setting up the organisation, all through the web forms and the API -----------------------

class Setup:
    """Builds the organisation and keeps what the endpoints need (ids, a token, cookies) in
    `state`, saved to state.json so `--reuse` can measure again without building it again."""

    def __init__(self, server: Server, database: Database, options: argparse.Namespace, workdir: Path):
        self.server, self.database, self.options, self.workdir = server, database, options, workdir
        self.base = server.url
        self.timings: dict[str, float] = {}
        self.state: dict = {}

    def timed(self, name: str, step):
        started = time.monotonic()
        value = step()
        self.timings[name] = time.monotonic() - started
        log(f"  {name}: {self.timings[name]:.1f} s")
        return value

    def people_csv(self) -> Path:
        path = self.workdir.parent / f"people-{self.options.people}-seed{self.options.seed}.csv"
        if not path.exists():
            subprocess.run([self.server.binary, "generate", "people", "--count", str(self.options.people), "--seed",
                            str(self.options.seed), "--output", str(path)], check=True)
        return path

    def admin_api(self) -> requests.Session:
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {self.state['admin_token']}"
        return api

    def run(self) -> dict:
        log(f"setup: {self.options.people:,} people, {self.options.enrolled:,} enrolled, {self.options.relationships} relationships")
        csv_path = self.timed("generate people CSV", self.people_csv)
        with open(csv_path, newline="") as file:
            rows = list(csv.DictReader(file))
        by_id = {row["id"]: row for row in rows}
        self.timed("first admin (setup form) and API token", self.first_admin)
        api = self.admin_api()
        self.timed("import people (POST /api/v1/people/import)", lambda: self.import_people(api, csv_path))
        enrolled_ids = [row["id"] for row in rows[: self.options.enrolled]]
        self.timed("create programme and enrol (POST …/enrolments/import)", lambda: self.programme(api, enrolled_ids))
        pairs = self.timed("match run (POST …/runs, until done)", lambda: self.match_run(api))
        people = self.timed("participants' accounts (invitations accepted)", lambda: self.participants(api, pairs, by_id))
        self.timed("publish the run (POST /api/v1/runs/:id/publish)", lambda: self.publish(api))
        self.timed("participants accept their matches", lambda: self.accept_matches(people))
        self.state["pending_jobs_after_setup"] = self.database.due_jobs()
        self.timed("job queue drained", lambda: settle(self.database, self.options.settle_timeout))
        self.remaining(api)
        self.state["setup_timings"] = self.timings
        return self.state

    def first_admin(self) -> None:
        browser = requests.Session()
        page = expect(browser.get(self.base + "/setup", timeout=60), 200, "GET /setup")
        expect(browser.post(self.base + "/setup", allow_redirects=False, timeout=120, data={
            "csrf_token": csrf_token(page.text), "organisation_name": "Webbench Org", "name": "Ada Admin",
            "email": ADMIN_EMAIL, "password": PASSWORD}), 303, "POST /setup")
        self.state["admin_cookies"] = browser.cookies.get_dict()
        self.state["admin_token"] = make_token(self.base, browser, "admin")

    def import_people(self, api: requests.Session, csv_path: Path) -> None:
        with open(csv_path, "rb") as body:
            answer = api.post(self.base + "/api/v1/people/import", params={"mode": "valid_rows"}, data=body,
                              headers={"Content-Type": "text/csv"}, timeout=7200)
        report = expect(answer, 200, "POST /api/v1/people/import").json()
        log(f"  import: {report['summary']}")
        self.state["import"] = {k: report[k] for k in ("rows_read", "created", "changed", "unchanged", "rejected_count")}
        if report["rejected_count"]:
            log(f"  import rejected {report['rejected_count']} rows, e.g. {json.dumps(report['rejected'][:2])[:400]}")

    def programme(self, api: requests.Session, enrolled_ids: list[str]) -> None:
        today = datetime.date.today()
        created = expect(api.post(self.base + "/api/v1/programmes", timeout=120, json={
            "name": "Webbench mutual pairs", "model": "pairs", "description": "The load harness's programme.",
            "cycle_start": today.isoformat(), "cycle_end": (today + datetime.timedelta(days=180)).isoformat(),
            "capacity": 1}), 201, "POST /api/v1/programmes").json()
        self.state["programme_id"] = created["id"]
        body = "id\n" + "\n".join(enrolled_ids) + "\n"
        report = expect(api.post(f"{self.base}/api/v1/programmes/{created['id']}/enrolments/import", data=body.encode(),
                                 headers={"Content-Type": "text/csv"}, timeout=3600), 200, "POST …/enrolments/import").json()
        log(f"  enrolment: {json.dumps(report)[:300]}")

    def match_run(self, api: requests.Session) -> list[tuple[str, str]]:
        programme = self.state["programme_id"]
        run = expect(api.post(f"{self.base}/api/v1/programmes/{programme}/runs", json={"seed": 1}, timeout=300),
                     202, "POST …/runs").json()
        self.state["run_id"] = run["id"]
        while True:
            runs = expect(api.get(f"{self.base}/api/v1/programmes/{programme}/runs", timeout=300), 200, "GET …/runs").json()["items"]
            current = next(r for r in runs if r["id"] == run["id"])
            if current["status"] != "running":
                break
            time.sleep(2)
        if current["status"] != "done":
            raise RuntimeError(f"the match run ended {current['status']}: {current.get('failure')}")
        log(f"  run: {current['participants']} participants, {current['matched']} matched, {current.get('optimality')}")
        self.state["run"] = {k: current.get(k) for k in ("participants", "matched", "optimality", "gap_percent")}
        result = expect(api.get(f"{self.base}/api/v1/runs/{run['id']}", timeout=300), 200, "GET /api/v1/runs/:id").json()["result"]
        return [(pair["a"], pair["b"]) for pair in result.get("pairs", [])]

    def email_of(self, api: requests.Session, engine_id: str, by_id: dict) -> str:
        """A run names people by their import id or their directory id; either way, their address."""
        if engine_id in by_id:
            return by_id[engine_id]["email"]
        person = expect(api.get(f"{self.base}/api/v1/people/{engine_id}", timeout=60), 200, "GET /api/v1/people/:id").json()
        return person.get("email") or by_id[person["external_id"]]["email"]

    def participants(self, api: requests.Session, pairs: list[tuple[str, str]], by_id: dict) -> list[dict]:
        """Accounts for the members of the first pairs: invited before publishing (a published
        match would invite them itself, behind every other match's email), links read from the
        outbox, accepted with the invitation form, each with an API token."""
        chosen = pairs[: self.options.relationships]
        if not chosen:
            raise RuntimeError("the run made no pairs")
        emails = [self.email_of(api, member, by_id) for pair in chosen for member in pair]
        for email in emails:
            expect(api.post(self.base + "/api/v1/invitations", json={"email": email, "role": "participant"}, timeout=60),
                   201, f"POST /api/v1/invitations {email}")
        people = []
        for email in emails:
            link = wait_for(lambda: self.database.invitation_link(email), 600, f"the invitation email to {email}")
            browser = requests.Session()
            page = expect(browser.get(self.base + link, timeout=60), 200, f"GET {link}")
            expect(browser.post(self.base + link, allow_redirects=False, timeout=60, data={
                "csrf_token": csrf_token(page.text), "name": email.split("@")[0], "password": PASSWORD}), 303, "accepting an invitation")
            people.append({"email": email, "cookies": browser.cookies.get_dict(), "token": make_token(self.base, browser, "write")})
        self.state["participant"] = people[0]
        return people

    def publish(self, api: requests.Session) -> None:
        answer = expect(api.post(f"{self.base}/api/v1/runs/{self.state['run_id']}/publish", timeout=3600), 200, "publish").json()
        self.state["published"] = answer["published"]
        log(f"  published {answer['published']} matches")

    def accept_matches(self, people: list[dict]) -> None:
        for person in people:
            headers = {"Authorization": f"Bearer {person['token']}"}
            matches = expect(requests.get(self.base + "/api/v1/matches", headers=headers, timeout=60), 200, "GET /api/v1/matches").json()["items"]
            for match in matches:
                if match["my_response"] == "pending":
                    expect(requests.post(f"{self.base}/api/v1/matches/{match['id']}/respond", headers=headers,
                                         json={"accept": True}, timeout=60), 204, "accepting a match")

    def remaining(self, api: requests.Session) -> None:
        """The ids the endpoints use: a person, the participant's relationship, a name to search."""
        participant = self.state["participant"]
        headers = {"Authorization": f"Bearer {participant['token']}"}
        relationships = expect(requests.get(self.base + "/api/v1/relationships", headers=headers, timeout=60), 200,
                               "GET /api/v1/relationships").json()
        items = relationships.get("items", [])
        self.state["relationship_id"] = items[0]["id"] if items else None
        page = expect(api.get(self.base + "/api/v1/people", params={"page_size": 1}, timeout=300), 200, "GET /api/v1/people").json()
        self.state["people_total"] = page["total"]


def choose_person(base: str, state: dict, options: argparse.Namespace, workdir: Path) -> None:
    """The person whose page is measured and whose surname searches the enrolments: the file's
    first person, who is enrolled and has skills (the directory's first entry is the admin)."""
    with open(workdir.parent / f"people-{options.people}-seed{options.seed}.csv", newline="") as file:
        first = next(csv.DictReader(file))
    headers = {"Authorization": f"Bearer {state['admin_token']}"}
    page = expect(requests.get(base + "/api/v1/people", params={"q": first["email"], "page_size": 1}, headers=headers, timeout=300),
                  200, "GET /api/v1/people?q=").json()
    state["person_id"] = page["items"][0]["id"]
    state["enrolment_search"] = first["name"].split()[-1]


def make_token(base: str, browser: requests.Session, scope: str) -> str:
    page = expect(browser.get(base + "/account/tokens", timeout=60), 200, "GET /account/tokens")
    made = browser.post(base + "/account/tokens", timeout=60, data={
        "csrf_token": csrf_token(page.text), "name": "webbench", "scope": scope, "expires_in": "30"})
    match = NEW_TOKEN.search(made.text)
    if made.status_code != 200 or not match:
        raise RuntimeError(f"no new token on the tokens page: {made.status_code} {made.text[:300]!r}")
    return match.group(1)


def wait_for(condition, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def settle(database: Database, timeout: float) -> int:
    """Waits until no job is due (the published matches' emails and events have run), so the
    measurement does not share the CPU with the worker. Answers how many are still due."""
    deadline = time.monotonic() + timeout
    last_report = 0.0
    while True:
        due = database.due_jobs()
        if due == 0:
            return 0
        if time.monotonic() > deadline:
            log(f"  {due} jobs still due after {timeout:.0f} s; measuring anyway")
            return due
        if time.monotonic() - last_report > 30:
            log(f"  {due} jobs due, waiting")
            last_report = time.monotonic()
        time.sleep(2)


# --- measuring -------------------------------------------------------------------------------

def endpoints(state: dict) -> list[tuple[str, str, str]]:
    """(name, path, who): who is `admin-page` (session cookie), `admin-api` (admin token),
    `participant-page` or `participant-api`."""
    programme, run, person = state["programme_id"], state["run_id"], state["person_id"]
    relationship = state.get("relationship_id")
    search = quote(state["enrolment_search"])
    items = [
        ("Dashboard", "/dashboard", "admin-page"),
        ("Directory", "/people", "admin-page"),
        ("Directory, skill=SQL", "/people?skill=SQL", "admin-page"),
        ("Person page", f"/people/{person}", "admin-page"),
        ("Programme page (first enrolments)", f"/programmes/{programme}", "admin-page"),
        ("Programme page, enrolment search", f"/programmes/{programme}?q={search}", "admin-page"),
        ("Run page", f"/runs/{run}", "admin-page"),
        ("My matches (participant)", "/matches", "participant-page"),
        ("Relationship page (participant)", f"/relationships/{relationship}", "participant-page"),
        ("API people", "/api/v1/people", "admin-api"),
        ("API people, skill=SQL", "/api/v1/people?skill=SQL", "admin-api"),
        ("API person", f"/api/v1/people/{person}", "admin-api"),
        ("API programmes", "/api/v1/programmes", "admin-api"),
        ("API programme", f"/api/v1/programmes/{programme}", "admin-api"),
        ("API enrolments", f"/api/v1/programmes/{programme}/enrolments", "admin-api"),
        ("API runs", f"/api/v1/programmes/{programme}/runs", "admin-api"),
        ("API run (with result)", f"/api/v1/runs/{run}", "admin-api"),
        ("API programme matches", f"/api/v1/programmes/{programme}/matches", "admin-api"),
        ("API programme relationships", f"/api/v1/programmes/{programme}/relationships", "admin-api"),
        ("API members", "/api/v1/members", "admin-api"),
        ("API skills", "/api/v1/skills", "admin-api"),
        ("API my matches (participant)", "/api/v1/matches", "participant-api"),
        ("API my relationships (participant)", "/api/v1/relationships", "participant-api"),
    ]
    return [item for item in items if relationship or "{relationship}" not in item[1]]


def auth_headers(state: dict, who: str) -> dict[str, str]:
    holder = state["participant"] if who.startswith("participant") else {
        "cookies": state["admin_cookies"], "token": state["admin_token"]}
    if who.endswith("api"):
        return {"Authorization": f"Bearer {holder['token']}"}
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in holder["cookies"].items())}


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * UNITS_MS[match.group(2)] if match else float("nan")


def parse_wrk(output: str) -> dict:
    result = {"rps": float("nan"), "p50": float("nan"), "p99": float("nan"), "requests": 0, "non2xx": 0, "errors": 0}
    for line in output.splitlines():
        line = line.strip()
        if m := re.match(r"50%\s+(\S+)", line):
            result["p50"] = parse_duration_ms(m.group(1))
        elif m := re.match(r"99%\s+(\S+)", line):
            result["p99"] = parse_duration_ms(m.group(1))
        elif m := re.match(r"Requests/sec:\s+([\d.]+)", line):
            result["rps"] = float(m.group(1))
        elif m := re.match(r"(\d+) requests in", line):
            result["requests"] = int(m.group(1))
        elif m := re.match(r"Non-2xx or 3xx responses:\s+(\d+)", line):
            result["non2xx"] = int(m.group(1))
        elif m := re.match(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", line):
            result["errors"] = sum(int(g) for g in m.groups())
    return result


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (/proc/PID/stat, fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def wait_until_quiet(pid: int, longest: float) -> float:
    """Waits until the server uses under 5 % of a core over half a second; answers how long."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.025:
            break
    return time.monotonic() - started


class RSSSampler(threading.Thread):
    """The server's largest VmRSS while a wrk run lasts, read four times a second."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, rss_kb(self.pid))
            self.stopped.wait(0.25)

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return max(self.peak, rss_kb(self.pid))


def measure(server: Server, state: dict, options: argparse.Namespace, wrk: str) -> dict:
    results = []
    chosen = [e for e in endpoints(state) if not options.only or re.search(options.only, e[0], re.I)]
    for name, path, who in chosen:
        headers = auth_headers(state, who)
        started = time.monotonic()
        try:
            check = requests.get(server.url + path, headers=headers, allow_redirects=False, timeout=options.timeout)
            status, size, single_ms = check.status_code, len(check.content), (time.monotonic() - started) * 1000
        except requests.RequestException as error:
            status, size, single_ms = f"error: {type(error).__name__}", 0, float("nan")
        command = [wrk, f"-t{options.threads}", f"-c{options.connections}", f"-d{options.duration}s", "--latency",
                   "--timeout", f"{options.timeout}s"]
        for key, value in headers.items():
            command += ["-H", f"{key}: {value}"]
        command.append(server.url + path)
        sampler = RSSSampler(server.pid)
        sampler.start()
        output = subprocess.run(command, capture_output=True, text=True).stdout
        # wrk stops counting at the end of its time, but the server still finishes the requests
        # it had started (a slow page keeps both cores busy for seconds): wait for that before
        # the next endpoint, so one endpoint's tail is not measured as the next one's latency.
        quiet_after = wait_until_quiet(server.pid, options.timeout * 2)
        peak = sampler.stop()
        parsed = parse_wrk(output)
        parsed.update({"name": name, "path": path, "who": who, "status": status, "bytes": size,
                       "single_ms": single_ms, "quiet_after_s": quiet_after, "rss_peak_kb": peak, "rss_after_kb": rss_kb(server.pid)})
        results.append(parsed)
        log(f"  {name:40} {status} {size:>8} B  {parsed['rps']:>8.1f} req/s  p50 {parsed['p50']:.1f} ms  "
            f"p99 {parsed['p99']:.1f} ms  non-2xx {parsed['non2xx']}  errors {parsed['errors']}  RSS {mb(peak)} MB  "
            f"quiet after {quiet_after:.1f} s")
        with open(server.log_path.parent / "wrk.log", "a") as raw:
            raw.write(f"==== {name} {path}\n{' '.join(command[:-1 - 2 * len(headers)])} …\n{output}\n")
    return {"endpoints": results}


# --- the report ------------------------------------------------------------------------------

def git_describe() -> str:
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "Sources"],
                               capture_output=True, text=True).stdout.strip()
        return commit + (" (Sources modified)" if dirty else "")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"


def fmt(value: float, digits: int = 1) -> str:
    return "—" if value != value else f"{value:,.{digits}f}"


def report(kind: str, options: argparse.Namespace, state: dict, measured: dict, memory: dict, context: dict) -> str:
    lines = [f"### {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}", ""]
    lines.append(f"Measured {context['started']} UTC; binary `{options.binary}` ({context['binary_time']}), commit {context['commit']}; "
                 f"{context['machine']}; load average before measuring {context['load']}.")
    lines.append(f"Data: {state['people_total']:,} people in the directory, {options.enrolled:,} enrolled in one pairs programme, "
                 f"run: {state['run']['participants']:,} participants, {state['run']['matched']:,} matched "
                 f"({state['run']['optimality']}), {state['published']:,} matches published, "
                 f"{options.relationships} accepted by both (relationships). Jobs due when measuring began: {memory['jobs_due']}.")
    lines.append(f"Load: `wrk -t{options.threads} -c{options.connections} -d{options.duration}s --latency --timeout {options.timeout}s` "
                 f"per endpoint, one after another (each once the server is quiet after the previous one), on the same machine; "
                 f"server log level {options.log_level}.")
    lines.append("")
    lines.append("| endpoint | path | status | bytes | req/s | p50 ms | p99 ms | non-2xx | socket errors | RSS peak MB |")
    lines.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for e in measured["endpoints"]:
        path = re.sub(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", ":id", e["path"])
        path = re.sub(r"\?q=[^&]+", "?q=NAME", path)
        lines.append(f"| {e['name']} | `{path}` | {e['status']} | {e['bytes']:,} | {fmt(e['rps'])} | {fmt(e['p50'])} | "
                     f"{fmt(e['p99'])} | {e['non2xx']:,} | {e['errors']:,} | {mb(e['rss_peak_kb'])} |")
    lines.append("")
    idle, peak, after = memory["idle_kb"], memory["peak_kb"], memory["after_kb"]
    within = (after - idle) / idle * 100 if idle else float("nan")
    lines.append("| server memory (RSS) | MB |")
    lines.append("|---|---:|")
    lines.append(f"| idle (fresh process, before any load) | {mb(idle)} |")
    lines.append(f"| peak during the load (largest sample; VmHWM {mb(memory['hwm_kb'])}) | {mb(peak)} |")
    lines.append(f"| {options.after_load_wait:.0f} s after the load | {mb(after)} ({within:+.0f} % of idle) |")
    lines.append("")
    verdict_peak = "under" if peak < 200 * 1024 else "over"
    verdict_after = "within" if abs(within) <= 20 else "not within"
    lines.append(f"Targets: peak {verdict_peak} 200 MB; after the load {verdict_after} 20 % of idle.")
    timings = state.get("setup_timings", {})
    if timings:
        lines.append("")
        lines.append("Setup: " + "; ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + f" (total {sum(timings.values()):.0f} s).")
    lines.append(f"Measuring took {context['measure_seconds']:.0f} s.")
    return "\n".join(lines) + "\n"


# --- one database, end to end ----------------------------------------------------------------

def run_one(kind: str, options: argparse.Namespace, wrk: str) -> str:
    workdir = Path(options.workdir) / kind
    workdir.mkdir(parents=True, exist_ok=True)
    database = Database(kind, workdir, options.postgres_url)
    state_path = workdir / "state.json"
    state = json.loads(state_path.read_text()) if options.reuse and state_path.exists() else None
    if state and (state.get("people") != options.people or state.get("enrolled") != options.enrolled):
        log(f"{kind}: the saved setup is for other sizes; building it again")
        state = None
    secret = state["secret"] if state else secrets.token_hex(32)
    server = Server(options.binary, database, workdir, options.port or free_port(), secret, options.log_level)
    try:
        if state is None:
            log(f"{kind}: building the organisation from scratch in {database.url}")
            database.reset()
            server.start()
            state = Setup(server, database, options, workdir).run()
            state.update({"secret": secret, "people": options.people, "enrolled": options.enrolled})
            state_path.write_text(json.dumps(state, indent=1))
            server.stop()
        else:
            log(f"{kind}: reusing the organisation in {database.url}")
        # Measure a fresh process: idle memory is the memory of a server that has served nothing yet.
        server.start()
        choose_person(server.url, state, options, workdir)
        jobs_due = settle(database, options.settle_timeout)
        time.sleep(5)
        idle = rss_kb(server.pid)
        context = {
            "started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            "binary_time": datetime.datetime.fromtimestamp(os.path.getmtime(options.binary), datetime.timezone.utc).strftime("built %Y-%m-%d %H:%M UTC"),
            "commit": git_describe(),
            "machine": f"{os.cpu_count()} cores, {platform.machine()}, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB",
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        }
        log(f"{kind}: measuring (idle RSS {mb(idle)} MB, {jobs_due} jobs due)")
        started = time.monotonic()
        measured = measure(server, state, options, wrk)
        peak = max([e["rss_peak_kb"] for e in measured["endpoints"]] + [idle])
        log(f"{kind}: waiting {options.after_load_wait:.0f} s after the load")
        time.sleep(options.after_load_wait)
        memory = {"idle_kb": idle, "peak_kb": peak, "hwm_kb": rss_kb(server.pid, "VmHWM"), "after_kb": rss_kb(server.pid),
                  "jobs_due": jobs_due}
        context["measure_seconds"] = time.monotonic() - started
        text = report(kind, options, state, measured, memory, context)
        (workdir / "results.json").write_text(json.dumps({"state": {k: v for k, v in state.items() if k not in (
            "admin_token", "admin_cookies", "participant", "secret")}, "measured": measured, "memory": memory,
            "context": context}, indent=1))
        return text
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(REPO / ".build" / "release" / "mutual"), help="the mutual binary (default: the release build)")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("WEBBENCH_POSTGRES", "postgres://mutual:mutual@127.0.0.1:5432/mutual_webbench"),
                        help="the PostgreSQL database to (re)create; its role must be allowed to CREATE DATABASE")
    parser.add_argument("--people", type=int, default=None, help="people in the organisation (100,000; --quick 5,000)")
    parser.add_argument("--enrolled", type=int, default=None, help="people enrolled in the programme (10,000; --quick 1,000)")
    parser.add_argument("--relationships", type=int, default=None, help="pairs both of whose members get accounts and accept (20; --quick 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of `mutual generate people`")
    parser.add_argument("--duration", type=int, default=None, help="seconds of wrk per endpoint (20; --quick 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30, help="wrk's per-request timeout in seconds (wrk leaves slower requests out of the latencies)")
    parser.add_argument("--after-load-wait", type=float, default=30, help="seconds between the load and the last memory reading")
    parser.add_argument("--settle-timeout", type=float, default=1800, help="longest wait for the job queue to drain")
    parser.add_argument("--log-level", default="info", help="the server's MUTUAL_LOG_LEVEL (info, as deployed by default)")
    parser.add_argument("--only", help="measure only endpoints whose name matches this regular expression")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--workdir", default="/tmp/mutual-webbench", help="databases, logs, state and results")
    parser.add_argument("--output", help="also write the markdown here (default: WORKDIR/results.md)")
    parser.add_argument("--reuse", action="store_true", help="measure the organisation a previous run built (same sizes), skipping the setup")
    parser.add_argument("--quick", action="store_true", help="small and short, for developing the harness")
    options = parser.parse_args()
    quick = options.quick
    options.people = options.people or (5_000 if quick else 100_000)
    options.enrolled = options.enrolled or (1_000 if quick else 10_000)
    options.relationships = options.relationships or (3 if quick else 20)
    options.duration = options.duration or (5 if quick else 20)
    if quick:
        options.workdir = options.workdir.rstrip("/") + "-quick" if options.workdir == "/tmp/mutual-webbench" else options.workdir
    if not os.access(options.binary, os.X_OK):
        sys.exit(f"{options.binary} is not an executable; build it: swift build -c release --product mutual")
    wrk = ensure_wrk()
    kinds = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    sections = []
    for kind in kinds:
        begun = time.monotonic()
        sections.append(run_one(kind, options, wrk))
        log(f"{kind}: done in {time.monotonic() - begun:.0f} s")
        print("\n" + sections[-1], flush=True)
    text = "\n".join(sections)
    output = Path(options.output) if options.output else Path(options.workdir) / "results.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    log(f"written to {output}")


if __name__ == "__main__":
    main()
