"""Graceful shutdown: SIGTERM lets an in-flight request finish before the process exits.

Starts its own `mutual serve` (the binary named by MUTUAL_BIN) on a fresh SQLite file, sends a
request whose body trickles in over about three seconds, sends SIGTERM one second in, and
checks that the request still gets a complete HTTP answer and that the process then exits 0.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

REQUIRED = os.environ.get("MUTUAL_REQUIRE_SERVICES") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server():
    binary = os.environ.get("MUTUAL_BIN", "")
    if not (binary and os.access(binary, os.X_OK)):
        if REQUIRED:
            pytest.fail("MUTUAL_BIN does not name the built mutual binary", pytrace=False)
        pytest.skip("MUTUAL_BIN is not set; run through scripts/test.sh")
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="mutual-lifecycle-")
    env = dict(os.environ, MUTUAL_SECRET=secrets.token_hex(32))
    process = subprocess.Popen(
        [binary, "serve", "--port", str(port), "--database", os.path.join(workdir, "db.sqlite")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=workdir,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("mutual serve did not answer /healthz within 60 s")
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait()


def test_sigterm_finishes_the_request_in_flight(server):
    process, port = server
    body = b"csrf_token=x&pad=" + b"a" * 30_000
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(
            b"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        )
        # Trickle the body: 30 chunks over about three seconds, with SIGTERM after the first second.
        chunk = len(body) // 30 + 1
        for index in range(0, len(body), chunk):
            connection.sendall(body[index:index + chunk])
            time.sleep(0.1)
            if index // chunk == 10:
                process.send_signal(signal.SIGTERM)
        answer = b""
        while True:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    status_line = answer.split(b"\r\n", 1)[0]
    # The CSRF check refuses the form, which proves the request ran to the end after SIGTERM.
    assert status_line.startswith(b"HTTP/1.1 403"), f"in-flight request was cut off: {answer[:200]!r}"
    assert process.wait(timeout=20) == 0, "mutual serve did not exit cleanly after SIGTERM"
