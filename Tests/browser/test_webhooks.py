"""Webhook deliveries from a real `mutual serve`, verified by the reference `standardwebhooks`
library, across a retry and across a `kill -9` of the server.

A small HTTP receiver in this process verifies every request with
`standardwebhooks.webhooks.Webhook(secret).verify(body, headers)` and records its `webhook-id`.
The server runs on a fresh SQLite file with MUTUAL_WEBHOOK_ALLOW_PRIVATE=true (the receiver is on
loopback) and a short MUTUAL_WEBHOOK_RETRY_SCHEDULE. The admin subscribes the receiver to
`invitation.created` through `POST /api/v1/webhooks` and invites people through the API:

- the receiver answers the first delivery 500; the retry comes a second later with the same
  `webhook-id`, and both verify;
- with the receiver down, a delivery fails and waits for its retry; the server is killed with
  SIGKILL, the receiver comes back, the server restarts on the same database and the pending
  delivery arrives, verified, with the `webhook-id` the delivery log showed before the kill.
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import mutual_processes as mp

SCHEDULE = "1,6,6,6"  # seconds: the retry after a 500 comes at once, the one after the kill within 6 s
LEASE_SECONDS = "3"  # a delivery running when the server died is taken over this soon after the restart


@dataclass
class Received:
    webhook_id: str
    verified: bool
    event_type: str | None
    status: int
    error: str = ""


@dataclass
class Receiver:
    """Verifies each delivery with the reference library; answers 500 to the first `fail_next`."""
    port: int
    secret: str | None = None
    fail_next: int = 0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                from standardwebhooks.webhooks import Webhook

                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {name: value for name, value in self.headers.items()}
                verified, event_type, error = False, None, ""
                try:
                    payload = Webhook(receiver.secret or "whsec_").verify(body, headers)
                    verified, event_type = True, payload.get("type")
                except Exception as failure:  # the library's WebhookVerificationError, or no secret yet
                    error = repr(failure)
                with receiver.lock:
                    status = 500 if receiver.fail_next > 0 else 200
                    if receiver.fail_next > 0:
                        receiver.fail_next -= 1
                    receiver.received.append(Received(headers.get("webhook-id", headers.get("Webhook-Id", "")), verified, event_type, status, error))
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):  # keep pytest's output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def by_id(self, webhook_id: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.webhook_id == webhook_id]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mutual-hooks"


@pytest.fixture
def setup(request):
    try:
        import standardwebhooks.webhooks  # noqa: F401
    except ImportError:
        mp.unavailable("Python standardwebhooks is not installed (bash scripts/install-test-deps.sh)")
    workdir = mp.new_workdir("mutual-webhooks-")
    database = os.path.join(workdir, "webhooks.sqlite")
    env = mp.server_environment(
        MUTUAL_WEBHOOK_ALLOW_PRIVATE="true", MUTUAL_WEBHOOK_RETRY_SCHEDULE=SCHEDULE, MUTUAL_JOB_LEASE_SECONDS=LEASE_SECONDS)
    server = mp.MutualServer("webhooks", database, workdir, env)
    receiver = Receiver(mp.free_port())
    receiver.start()
    try:
        server.start()
        yield server, receiver
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(f"\n--- last lines of the server's log ---\n{server.log_tail(80)}")
        server.stop()
        receiver.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def deliveries(admin: mp.Admin, base: str, endpoint: str) -> list[dict]:
    answer = admin.get(base, f"/api/v1/webhooks/{endpoint}/deliveries")
    assert answer.status_code == 200, f"delivery log answered {answer.status_code}: {answer.text[:300]}"
    return answer.json()["items"]


def invite(admin: mp.Admin, base: str, email: str) -> str:
    answer = admin.post(base, "/api/v1/invitations", json={"email": email, "role": "participant"})
    assert answer.status_code == 201, f"invitation answered {answer.status_code}: {answer.text[:300]}"
    return answer.json()["id"]


def test_delivery_verifies_retries_with_the_same_id_and_survives_kill_9(setup):
    server, receiver = setup
    admin = mp.Admin(server.url, organisation="Hooks Org")

    # Unknown types are refused with the valid ones listed.
    refused = admin.post(server.url, "/api/v1/webhooks", json={"url": receiver.url, "events": ["invitation.made"]})
    assert refused.status_code == 422 and "invitation.created" in refused.json()["detail"], refused.text[:500]

    made = admin.post(server.url, "/api/v1/webhooks", json={"url": receiver.url, "events": ["invitation.created"]})
    assert made.status_code == 201, made.text[:500]
    endpoint, receiver.secret = made.json()["id"], made.json()["secret"]
    assert receiver.secret.startswith("whsec_")

    # 1. A first attempt answered 500 is retried with the same webhook-id; both verify.
    receiver.fail_next = 1
    invite(admin, server.url, "first@hooks.example")
    log = mp.wait_until(lambda: [d for d in deliveries(admin, server.url, endpoint) if d["status"] == "delivered"], 60,
                        what="the first delivery to be delivered after its retry")
    first_id = log[0]["webhook_id"]
    attempts = receiver.by_id(first_id)
    assert [a.status for a in attempts] == [500, 200], attempts
    assert all(a.verified for a in attempts), [a.error for a in attempts]
    assert all(a.event_type == "invitation.created" for a in attempts)
    assert log[0]["attempts"] == 2

    # 2. Receiver down: the next delivery fails and waits for its retry ...
    receiver.stop()
    invite(admin, server.url, "second@hooks.example")
    pending = mp.wait_until(
        lambda: [d for d in deliveries(admin, server.url, endpoint) if d["status"] == "pending" and d["attempts"] >= 1], 60,
        what="the second delivery to fail once and wait")
    second_id = pending[0]["webhook_id"]
    assert second_id != first_id

    # ... the server dies without a word, the receiver comes back, the server restarts on the same database.
    server.kill9()
    receiver.start()
    server.start()
    arrived = mp.wait_until(lambda: [a for a in receiver.by_id(second_id) if a.status == 200], 90,
                            what="the pending delivery to arrive after the restart")
    assert arrived[0].verified, arrived[0].error
    assert arrived[0].event_type == "invitation.created"
    final = mp.wait_until(lambda: [d for d in deliveries(admin, server.url, endpoint) if d["webhook_id"] == second_id and d["status"] == "delivered"],
                          30, what="the delivery log to show it delivered")
    assert final[0]["attempts"] >= 2
    # Nothing was sent twice once delivered, and every request that came verified.
    assert len([a for a in receiver.by_id(first_id) if a.status == 200]) == 1
    with receiver.lock:
        assert all(r.verified for r in receiver.received), [r.error for r in receiver.received]
