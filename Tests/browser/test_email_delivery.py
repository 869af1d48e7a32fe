"""Email over real SMTP: `mutual serve` (on a SQLite file) with MUTUAL_SMTP_URL pointing at an
aiosmtpd server that this test runs in-process and that keeps every message it accepts.

- An invitation made through the API arrives as a multipart text + HTML message to the invitee,
  from MUTUAL_MAIL_FROM, whose accept link opens the accept page and, submitted, signs the new
  member in; the database keeps a record of the message but never the link's token.
- With nothing listening on the SMTP port, the invitation's email job is retried with a
  last_error that names the refused connection; once the SMTP server starts on that port the
  message arrives and the job is finished.
- A non-essential message (a match run's "run finished" note to its manager) carries
  List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), and a one-click POST to it turns
  that category off.
"""
from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

import mutual_processes as mp

MAIL_FROM_NAME = "Mutual"
MAIL_FROM = "mentoring@example.org"
ACCEPT_LINK = re.compile(r"https?://[^\s\"'<>]+/invitations/([A-Za-z0-9_-]+)")


# --- the SMTP server -------------------------------------------------------------------------

@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    at: float

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


class Mailbox:
    """aiosmtpd's handler: keeps every message, and lets a test wait for one."""

    def __init__(self):
        self.messages: list[Received] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.changed:
            self.messages.append(Received(
                envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content, time.monotonic()))
            self.changed.notify_all()
        return "250 2.0.0 OK: queued"

    def to(self, address: str) -> list[Received]:
        with self.changed:
            return [m for m in self.messages if address in m.rcpt_tos]

    def wait_for(self, address: str, timeout: float, subject_contains: str = "") -> Received:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for message in self.messages:
                    if address in message.rcpt_tos and subject_contains in str(message.message["Subject"]):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [(m.rcpt_tos, str(m.message["Subject"])) for m in self.messages]
                    raise AssertionError(f"no message to {address} ({subject_contains!r}) within {timeout:.0f} s; received: {got}")
                self.changed.wait(left)


class SMTPServer:
    """An aiosmtpd Controller on a fixed port, which can be started after the port was chosen."""

    def __init__(self, port: int, mailbox: Mailbox):
        self.port = port
        self.mailbox = mailbox
        self.controller = None

    def start(self) -> None:
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            mp.unavailable("Python aiosmtpd is not installed (bash scripts/install-test-deps.sh)")
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, server_hostname="smtp.test")
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def smtp_available():
    try:
        import aiosmtpd.controller  # noqa: F401
    except ImportError:
        mp.unavailable("Python aiosmtpd is not installed (bash scripts/install-test-deps.sh)")


@dataclass
class MailSetup:
    server: mp.MutualServer
    smtp: SMTPServer
    admin: mp.Admin
    database: str


def start_mail_setup(workdir: str, smtp_running: bool) -> tuple[SMTPServer, mp.MutualServer]:
    smtp = SMTPServer(mp.free_port(), Mailbox())
    if smtp_running:
        smtp.start()
    env = mp.server_environment(
        MUTUAL_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}", MUTUAL_MAIL_FROM=f"{MAIL_FROM_NAME} <{MAIL_FROM}>")
    server = mp.MutualServer("mail-server", os.path.join(workdir, "mutual.sqlite"), workdir, env)
    return smtp, server


@pytest.fixture(scope="module")
def mail():
    mp.mutual_binary()
    mp.requests_module()
    smtp_available()
    workdir = mp.new_workdir("mutual-email-")
    smtp, server = start_mail_setup(workdir, smtp_running=True)
    try:
        server.start()
        admin = mp.Admin(server.url, organisation="Mail Org")
        yield MailSetup(server, smtp, admin, server.database)
    except BaseException:
        print(f"\n--- last lines of {server.name}'s log ---\n{server.log_tail(60)}")
        raise
    finally:
        server.stop()
        smtp.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def show_log_on_failure(request, mail):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"\n--- last lines of {mail.server.name}'s log ---\n{mail.server.log_tail(60)}")


def email_jobs(admin: mp.Admin, url: str, recipient_subject: str) -> list[dict]:
    return [j for j in admin.jobs(url) if j["kind"] == "email.send" and j["subject"] == recipient_subject]


def database_text(path: str) -> list[tuple[str, str, str]]:
    """Every text or blob value in the SQLite database as (table, column, value), read-only."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        values = []
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str):
                        values.append((table, column, value))
        return values
    finally:
        connection.close()


def rows(path: str, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return list(connection.execute(sql))
    finally:
        connection.close()


# --- an invitation, end to end ---------------------------------------------------------------

def test_invitation_arrives_by_smtp_and_its_link_signs_the_new_member_in(mail: MailSetup, show_log_on_failure):
    requests = mp.requests_module()
    invitee = "new.comer@example.org"
    answer = mail.admin.post(mail.server.url, "/api/v1/invitations", json={"email": invitee})
    assert answer.status_code == 201, f"creating the invitation answered {answer.status_code}: {answer.text[:300]}"
    invitation = answer.json()

    received = mail.smtp.mailbox.wait_for(invitee, timeout=30)
    message = received.message
    assert received.mail_from == MAIL_FROM, f"envelope sender {received.mail_from!r}"
    assert received.rcpt_tos == [invitee], received.rcpt_tos
    assert message["To"].addresses[0].addr_spec == invitee, str(message["To"])
    assert message["From"].addresses[0].addr_spec == MAIL_FROM, str(message["From"])
    assert message["From"].addresses[0].display_name == MAIL_FROM_NAME, str(message["From"])
    assert message["Subject"] and "Mail Org" in str(message["Subject"]), str(message["Subject"])
    assert message["Date"] and message["Message-ID"], "Date and Message-ID are required"
    assert message.get_content_type() == "multipart/alternative", message.get_content_type()
    defects = list(message.defects) + [d for part in message.walk() for d in part.defects]
    assert not defects, f"the message is malformed: {defects}"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None, "the message needs a text and an HTML part"
    text_body, html_body = text.get_content(), html.get_content()
    # Essential mail (an invitation) carries no unsubscribe link.
    assert message["List-Unsubscribe"] is None, str(message["List-Unsubscribe"])

    # The link goes only by email to the invitee: the inviting admin's answer never carries it.
    assert "accept_url" not in invitation and "/invitations/" not in answer.text, f"the API answer carries the link: {answer.text[:300]}"
    links = {m.group(0) for m in ACCEPT_LINK.finditer(text_body)}
    assert len(links) == 1, f"the text part should carry exactly one accept link: {links}"
    html_links = set(re.findall(r'href="([^"]+/invitations/[^"]+)"', html_body))
    assert html_links == links, f"the HTML part's accept link(s) {html_links} vs the text part's {links}"
    link = next(iter(links))
    token = ACCEPT_LINK.search(link).group(1)
    assert urlsplit(link).netloc == urlsplit(mail.server.url).netloc, f"the link does not start with the base URL: {link}"

    # The link from the message: the accept page, then accepting signs the new member in.
    browser = requests.Session()
    page = browser.get(link, timeout=30)
    assert page.status_code == 200, f"the accept page answered {page.status_code}: {page.text[:300]}"
    assert invitee in page.text, "the accept page should name the invited address"
    accepted = browser.post(link, data={"csrf_token": mp.csrf_token(page.text), "name": "New Comer",
                                        "password": "a-long-enough-password"}, allow_redirects=False, timeout=60)
    assert accepted.status_code == 303 and accepted.headers.get("Location") == "/dashboard", (
        f"accepting answered {accepted.status_code} {accepted.headers.get('Location')}: {accepted.text[:300]}")
    dashboard = browser.get(mail.server.url + "/dashboard", allow_redirects=False, timeout=30)
    assert dashboard.status_code == 200, f"the new member is not signed in: /dashboard answered {dashboard.status_code}"
    assert "New Comer" in dashboard.text, "the dashboard should greet the new member by name"
    again = requests.get(link, timeout=30)
    assert again.status_code in (404, 410), f"a used invitation link still answers {again.status_code}"

    # The database keeps a record of the message, and the token nowhere.
    sent = rows(mail.database, "SELECT recipient, template, category FROM sent_emails")
    assert (invitee, "invitation", "essential") in sent, f"sent_emails: {sent}"
    holding = sorted({(table, column) for table, column, value in database_text(mail.database) if token in value})
    assert not holding, f"the invitation token is stored in the clear in {holding}"
    for suffix in ("", "-wal"):
        path = mail.database + suffix
        if os.path.exists(path):
            with open(path, "rb") as file:
                assert token.encode() not in file.read(), f"the invitation token is in the bytes of {os.path.basename(path)}"


# --- a non-essential message carries one-click unsubscribe ----------------------------------

def test_run_finished_email_carries_one_click_unsubscribe(mail: MailSetup, show_log_on_failure):
    requests = mp.requests_module()
    admin, url = mail.admin, mail.server.url
    people = "id,name,email,department,strengths,wants\n" + "\n".join(
        f"m{i},Member {i},member{i}@mail.example,{'Sales' if i % 2 else 'Legal'},"
        f"Craft {i % 3}:4;Craft {(i + 1) % 3}:3,Craft {(i + 2) % 3}:1" for i in range(6)) + "\n"
    answer = admin.post(url, "/api/v1/people/import", data=people.encode(), headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text[:500]
    answer = admin.post(url, "/api/v1/programmes", json={
        "name": "Mail pairs", "model": "pairs", "cycle_start": "2027-01-01", "cycle_end": "2027-06-30"})
    assert answer.status_code == 201, answer.text[:500]
    programme = answer.json()["id"]
    answer = admin.post(url, f"/api/v1/programmes/{programme}/enrolments/import",
                        data=("id\n" + "\n".join(f"m{i}" for i in range(6)) + "\n").encode(), headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text[:500]
    answer = admin.post(url, f"/api/v1/programmes/{programme}/runs", json={"seed": 1})
    assert answer.status_code == 202, answer.text[:500]

    received = mail.smtp.mailbox.wait_for(admin.email, timeout=60, subject_contains="Mail pairs")
    message = received.message
    unsubscribe = str(message["List-Unsubscribe"] or "")
    match = re.fullmatch(r"<(https?://\S+/email/unsubscribe/\S+)>", unsubscribe)
    assert match, f"List-Unsubscribe should be one <https…> link, got {unsubscribe!r}"
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click", str(message["List-Unsubscribe-Post"])
    link = match.group(1)
    assert link in message.get_body(("plain",)).get_content(), "the text part should carry the same unsubscribe link"

    assert admin.get(url, "/api/v1/me/email-preferences").json()["programmes"] is True
    # What a mail program does for one click (RFC 8058): a POST without cookies or CSRF token.
    answer = requests.post(link, data="List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert answer.status_code == 200, f"the one-click POST answered {answer.status_code}: {answer.text[:300]}"
    preferences = admin.get(url, "/api/v1/me/email-preferences").json()
    assert preferences["programmes"] is False, f"one click did not turn 'programmes' off: {preferences}"
    tampered = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    answer = requests.post(tampered, data="List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert answer.status_code >= 400, f"an altered unsubscribe link was accepted ({answer.status_code})"


# --- an SMTP outage delays the message, and it arrives once the server is back ---------------

def test_email_waits_out_an_smtp_outage_and_is_delivered_when_the_server_returns():
    mp.mutual_binary()
    mp.requests_module()
    smtp_available()
    workdir = mp.new_workdir("mutual-email-outage-")
    smtp, server = start_mail_setup(workdir, smtp_running=False)
    ok = False
    try:
        server.start()
        admin = mp.Admin(server.url, organisation="Outage Org")
        invitee = "patient@example.org"
        answer = admin.post(server.url, "/api/v1/invitations", json={"email": invitee})
        assert answer.status_code == 201, answer.text[:300]

        # Nothing listens on the SMTP port: the job fails, says why, and is retried.
        def retried_twice():
            jobs = email_jobs(admin, server.url, "email:invitation")
            if not jobs:
                return None
            assert len(jobs) == 1, f"expected one invitation email job, got {jobs}"
            job = jobs[0]
            assert job["status"] in ("queued", "running"), f"the email job should be retrying: {job}"
            return job if job["attempts"] >= 2 and job["status"] == "queued" else None

        job = mp.wait_until(retried_twice, timeout=60, interval=0.3, what="the email job to fail twice and be queued again")
        error = job["last_error"]
        assert "could not be reached" in error and "connection refused" in error, f"last_error should name the refused connection: {error!r}"
        assert f"127.0.0.1:{smtp.port}" in error, f"last_error should name the server: {error!r}"
        assert job["max_attempts"] > job["attempts"], job
        assert not smtp.mailbox.messages

        # The mail server comes back on the same port: the next retry (10 s, then 20 s) delivers.
        smtp.start()
        restored = time.monotonic()
        received = smtp.mailbox.wait_for(invitee, timeout=75)
        print(f"\n[email] delivered {received.at - restored:.1f} s after the SMTP server came back, "
              f"after {job['attempts']} failed attempts")
        assert ACCEPT_LINK.search(received.message.get_body(("plain",)).get_content()), "the delayed message lost its link"

        def finished():
            jobs = email_jobs(admin, server.url, "email:invitation")
            return jobs[0] if jobs and jobs[0]["status"] == "finished" else None

        job = mp.wait_until(finished, timeout=30, what="the email job to be finished")
        assert job["attempts"] >= 3, job
        time.sleep(1)  # a second delivery would be a bug; give it a moment to show
        assert len(smtp.mailbox.to(invitee)) == 1, f"the message arrived {len(smtp.mailbox.to(invitee))} times"
        ok = True
    finally:
        if not ok:
            print(f"\n--- last lines of {server.name}'s log ---\n{server.log_tail(60)}")
        server.stop()
        smtp.stop()
        shutil.rmtree(workdir, ignore_errors=True)
