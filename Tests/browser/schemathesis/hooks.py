"""Schemathesis hooks for Mutual (SCHEMATHESIS_HOOKS=hooks, with this folder on PYTHONPATH).

Authentication: a personal API token of the demo admin, made by signing in through the pages.
The run exercises every operation, `DELETE /api/v1/tokens/{id}` included, so it may revoke the
very token it is using; the provider then signs in again and makes a new one. It checks the
token with `GET /api/v1/me` before each case (cheap), so no case runs with a revoked token.

Idempotency keys: a valid `Idempotency-Key` the run generates is replaced by a fresh UUID, so
two cases never share a key by chance (short keys such as "0" come up again and again, and the
same key with another body rightly answers 422). Invalid keys are left alone for the negative
checks. Reusing a key is tested in Swift (IdempotencyKeyTests).

Env: MUTUAL_ST_URL, MUTUAL_ST_EMAIL, MUTUAL_ST_PASSWORD.
"""
from __future__ import annotations

import os
import re
import uuid

import requests
import schemathesis

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NEW_TOKEN = re.compile(r'<code id="new-token">([^<]+)</code>')


def _new_token(base: str, email: str | None = None, password: str | None = None) -> str:
    browser = requests.Session()
    page = browser.get(base + "/sign-in", timeout=30)
    answer = browser.post(
        base + "/sign-in",
        data={"csrf_token": CSRF.search(page.text).group(1), "email": email or os.environ["MUTUAL_ST_EMAIL"],
              "password": password or os.environ["MUTUAL_ST_PASSWORD"]},
        allow_redirects=False, timeout=60)
    assert answer.status_code == 303, f"sign-in answered {answer.status_code}: {answer.text[:300]}"
    page = browser.get(base + "/account/tokens", timeout=30)
    made = browser.post(base + "/account/tokens", data={"csrf_token": CSRF.search(page.text).group(1), "name": "schemathesis"},
                        timeout=30)
    match = NEW_TOKEN.search(made.text)
    assert match, f"no new token on the tokens page: {made.status_code} {made.text[:300]}"
    return match.group(1)


@schemathesis.auth(refresh_interval=None)
class MutualToken:
    token: str | None = None

    def get(self, case, context):
        base = os.environ["MUTUAL_ST_URL"]
        if MutualToken.token:
            answer = requests.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {MutualToken.token}"}, timeout=30)
            if answer.status_code == 200:
                return MutualToken.token
        MutualToken.token = _new_token(base)
        return MutualToken.token

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
        key = case.headers.get("Idempotency-Key")
        if isinstance(key, str) and 1 <= len(key) <= 255 and all(0x20 <= ord(c) <= 0x7E for c in key):
            case.headers["Idempotency-Key"] = str(uuid.uuid4())
