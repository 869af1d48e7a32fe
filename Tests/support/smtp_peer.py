#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the SMTP transport's integration tests.

The Swift tests start it as a subprocess, read "PORT <n>" from its stdout, talk to it, and then
read what it saved in --dir:

  message-<n>.eml   the message exactly as received (after the server undid dot-stuffing)
  message-<n>.json  the envelope, the session (TLS? who logged in?) and the message as Python's
                    own email parser reads it, with any defects that parser found
  auth.log          one line per AUTH command the client sent, before any check

Modes:
  plain       no TLS, no AUTH
  plain-auth  no TLS, yet AUTH offered in the clear (a badly set-up server: the client must
              refuse to log in)
  starttls    STARTTLS required before anything else, AUTH required and offered only over TLS
  smtps       implicit TLS (TLS from the first byte), AUTH required
  silent      accepts connections and never says anything (for timeouts)

--only-login offers AUTH LOGIN without PLAIN. In every SMTP mode a recipient whose address starts with "reject" gets 550 and one starting with
"later" gets 451.
"""

import argparse
import errno
import json
import logging
import os
import signal
import socket
import ssl
import sys
import threading
import time

try:
    import email
    import email.policy
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError as error:  # the Swift side turns exit code 3 into an install hint
    print(f"aiosmtpd is missing ({error}): pip install aiosmtpd==1.4.6", file=sys.stderr, flush=True)
    sys.exit(3)


def is_encrypted(server):
    """STARTTLS or implicit TLS: aiosmtpd itself only knows about the first."""
    return server._tls_protocol is not None or server.transport.get_extra_info("ssl_object") is not None


def write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


class Recorder:
    """The handler: refuses some recipients and saves every message it accepts."""

    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.lower()
        if local.startswith("reject"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        if local.startswith("later"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        content = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        defects = [repr(defect) for defect in parsed.defects]
        parts = []
        for part in parsed.walk():
            defects += [repr(defect) for defect in part.defects]
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "content": part.get_content(),
                "disposition": part.get_content_disposition(),
                "filename": part.get_filename(),
                "method": part.get_param("method"),
            })
        headers = {}
        for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
                     "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Type"):
            value = parsed.get(name)
            if value is not None:
                headers[name] = str(value)
                defects += [repr(defect) for defect in getattr(value, "defects", [])]
        from_header = parsed.get("From")
        to_header = parsed.get("To")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": is_encrypted(server),
            "login": session.login_data.decode("utf-8") if isinstance(session.login_data, bytes) else None,
            "headers": headers,
            "from_name": from_header.addresses[0].display_name if from_header is not None else None,
            "from_address": from_header.addresses[0].addr_spec if from_header is not None else None,
            "to_name": to_header.addresses[0].display_name if to_header is not None else None,
            "to_address": to_header.addresses[0].addr_spec if to_header is not None else None,
            "parts": parts,
            "defects": defects,
        }
        base = os.path.join(self.directory, f"message-{number}")
        write_atomically(base + ".eml", content)
        write_atomically(base + ".json", json.dumps(record, indent=2).encode("utf-8"))
        return "250 2.0.0 OK: queued"


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode("utf-8")
        self.password = password.encode("utf-8")

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def make_recording_smtp(auth_log):
    class RecordingSMTP(SMTP):
        # Every AUTH command is written down before aiosmtpd looks at it, so a test can tell
        # that the client never sent one (not merely that none succeeded).
        async def smtp_AUTH(self, arg):
            mechanism = arg.split()[0] if arg else ""
            with open(auth_log, "a", encoding="utf-8") as log:
                log.write(f"{mechanism} tls={is_encrypted(self)}\n")
            await super().smtp_AUTH(arg)

    return RecordingSMTP


class BoundController(Controller):
    """A Controller on a socket bound to port 0 beforehand, so the port is free and known."""

    def __init__(self, handler, listening_socket, smtp_class, **kwargs):
        self.listening_socket = listening_socket
        self.smtp_class = smtp_class
        super().__init__(handler, hostname="127.0.0.1", port=listening_socket.getsockname()[1], **kwargs)

    def factory(self):
        return self.smtp_class(self.handler, **self.SMTP_kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.listening_socket, ssl=self.ssl_context)


def follow_parent():
    """Ends this process when the test that started it is gone, even if it was killed outright."""
    # A child inherits its parent's blocked signals, and the Swift test process blocks most of
    # them in the thread that spawns us; without this, SIGTERM would never arrive.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def watch():
        started = time.monotonic()
        # Ten minutes is far longer than any test; it only bounds a leak.
        while os.getppid() == parent and time.monotonic() - started < 600:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def bind_port_free_on_both_families():
    """Binds 127.0.0.1 on a free port that is also free on ::1, and holds ::1 (bound, not
    listening) while the peer runs. The tests connect to "localhost", which tries ::1 first: a
    server of another test on ::1 with the same port number would otherwise take the connection.
    A bound socket that does not listen refuses it, and the client goes on to 127.0.0.1."""
    for _ in range(50):
        ipv4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ipv4.bind(("127.0.0.1", 0))
        port = ipv4.getsockname()[1]
        if not socket.has_ipv6:
            return ipv4, None
        guard = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            guard.bind(("::1", port))
            return ipv4, guard
        except OSError as error:
            guard.close()
            ipv4.close()
            if error.errno == errno.EADDRNOTAVAIL:  # no ::1 on this machine: nothing to guard
                ipv4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                ipv4.bind(("127.0.0.1", 0))
                return ipv4, None
    raise SystemExit("no port free on both 127.0.0.1 and ::1 after 50 tries")


def announce(directory, port):
    """Tells the test the port: "PORT <n>" in <dir>/port and on stdout. The test reads the file:
    the Swift test process starts many children at once, and a file the child writes itself
    cannot end up in another test's hands the way an inherited stdout handle can."""
    write_atomically(os.path.join(directory, "port"), f"PORT {port}\n".encode())
    print(f"PORT {port}", flush=True)


def main():
    follow_parent()
    directory = sys.argv[sys.argv.index("--dir") + 1] if "--dir" in sys.argv else "."
    # aiosmtpd logs each connection and command at INFO and DEBUG, into <dir>/peer.log (written
    # by this process itself, for the same reason as announce): a failed test shows them.
    logging.basicConfig(
        level=logging.DEBUG, filename=os.path.join(directory, "peer.log"), format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", required=True, choices=["plain", "plain-auth", "starttls", "smtps", "silent"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--only-login", action="store_true", help="offer AUTH LOGIN but not PLAIN")
    options = parser.parse_args()

    listening, ipv6_guard = bind_port_free_on_both_families()
    listening.listen(16)
    port = listening.getsockname()[1]

    if options.mode == "silent":
        held = []
        announce(options.dir, port)
        while True:  # hold every connection open without a word, until the test ends us
            connection, _ = listening.accept()
            held.append(connection)

    tls = None
    if options.mode in ("starttls", "smtps"):
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(options.cert, options.key)

    smtp_options = {"server_hostname": "peer.test"}
    if options.mode != "plain":
        smtp_options["authenticator"] = Authenticator(options.user, options.password)
        smtp_options["auth_required"] = True
    if options.only_login:
        smtp_options["auth_exclude_mechanism"] = ["PLAIN"]
    if options.mode in ("plain-auth", "smtps"):
        # plain-auth: offer AUTH in the clear on purpose. smtps: the connection is TLS, but
        # aiosmtpd only counts STARTTLS as TLS and would not offer AUTH at all.
        smtp_options["auth_require_tls"] = False
    if options.mode == "starttls":
        smtp_options.update(tls_context=tls, require_starttls=True, auth_require_tls=True)
    controller_options = {"ssl_context": tls} if options.mode == "smtps" else {}

    controller = BoundController(
        Recorder(options.dir), listening, make_recording_smtp(os.path.join(options.dir, "auth.log")),
        **controller_options, **smtp_options)
    controller.start()
    announce(options.dir, port)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
