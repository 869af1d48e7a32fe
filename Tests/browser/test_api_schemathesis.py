"""Schemathesis over the whole JSON API, against its own OpenAPI document.

A real `mutual serve` on a fresh SQLite file with the demo organisation (320 people, programmes,
runs, relationships), authenticated as the demo admin (see schemathesis/hooks.py). Every
check schemathesis has runs: server errors, status codes, response schemas, content types,
headers, positive and negative data, and its stateful phase. Any finding fails the test, with
schemathesis's own report (and the curl line to reproduce each finding) in the failure message.

Env: MUTUAL_BIN; MUTUAL_SCHEMATHESIS_EXAMPLES (examples per operation, default 40).
"""
from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
import subprocess
import sys
from pathlib import Path

from mutual_processes import MutualServer, demo_database, new_workdir, server_environment, unavailable

HERE = Path(__file__).parent / "schemathesis"
DEMO_ADMIN = ("admin@demo.mutual.example", "demo-admin-password")


def demo_ids(base: str, token: str) -> dict[str, str]:
    """One real id of each kind the API's paths take, for schemathesis.toml's MUTUAL_ST_* settings."""
    import requests

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"

    def get(path: str) -> dict:
        answer = api.get(base + path, timeout=60)
        assert answer.status_code == 200, f"GET {path} answered {answer.status_code}: {answer.text[:300]}"
        return answer.json()

    programme = next(p for p in get("/api/v1/programmes")["items"] if p["model"] == "pairs")["id"]
    runs = get(f"/api/v1/programmes/{programme}/runs")["items"]
    matches = get(f"/api/v1/programmes/{programme}/matches")["match_ids"]
    relationships = get(f"/api/v1/programmes/{programme}/relationships")["items"]
    member = next(m for m in get("/api/v1/members")["items"] if m["role"] == "participant")["id"]
    assert runs and matches and relationships, "the demo organisation has no run, match or relationship to test with"
    return {
        "MUTUAL_ST_PROGRAMME": programme, "MUTUAL_ST_RUN": runs[0]["id"], "MUTUAL_ST_MATCH": matches[0],
        "MUTUAL_ST_RELATIONSHIP": relationships[0]["id"], "MUTUAL_ST_MEMBER": member,
        "MUTUAL_ST_PERSON": get("/api/v1/people")["items"][0]["id"],
    }


def junit_findings(workdir: str) -> str:
    """Each failed or errored operation in schemathesis's JUnit report, with the start of its message.

    The console output can end in a traceback whose lines are whole source files (it did once, on
    a CI machine); the report names the operation and the finding whatever the console shows."""
    found = []
    for report in Path(workdir).glob("*.xml"):
        for case in ET.parse(report).getroot().iter("testcase"):
            for outcome in list(case.iter("failure")) + list(case.iter("error")):
                text = (outcome.get("message") or "") + "\n" + (outcome.text or "")
                found.append(f"- {outcome.tag} in {case.get('name')}: {text.strip()[:1500]}")
    return "\n".join(found) if found else "(the JUnit report names no failed operation)"


def clipped(output: str, lines: int = 150) -> str:
    kept = output.splitlines()[-lines:]
    return "\n".join(line if len(line) <= 400 else line[:400] + " …" for line in kept)


def test_schemathesis_finds_nothing():
    schemathesis = shutil.which("schemathesis") or shutil.which("st")
    if schemathesis is None:
        unavailable("schemathesis is not installed (scripts/install-test-deps.sh installs it)")
    workdir = new_workdir("mutual-schemathesis-")
    database = demo_database(workdir, "api")
    env = server_environment()
    server = MutualServer("api", database, workdir, env).start()
    try:
        sys.path.insert(0, str(HERE))
        from hooks import _new_token  # the same sign-in the run's authentication uses

        ids = demo_ids(server.url, _new_token(server.url, *DEMO_ADMIN))
        run_env = dict(os.environ, MUTUAL_ST_URL=server.url, MUTUAL_ST_EMAIL=DEMO_ADMIN[0], MUTUAL_ST_PASSWORD=DEMO_ADMIN[1],
                       SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", **ids)
        examples = os.environ.get("MUTUAL_SCHEMATHESIS_EXAMPLES", "40")
        result = subprocess.run(
            [schemathesis, "--config-file", str(HERE / "schemathesis.toml"), "run", f"{server.url}/api/openapi.json",
             "--checks", "all", "--max-examples", examples, "--seed", "1", "--workers", "2", "--request-timeout", "60",
             "--report", "junit", "--report-dir", workdir],
            env=run_env, cwd=workdir, capture_output=True, text=True, timeout=1800)
        output = result.stdout + result.stderr
        print(output[-6000:], file=sys.stderr)
        assert result.returncode == 0, (
            f"schemathesis reported findings (exit {result.returncode}):\n{junit_findings(workdir)}\n\n"
            f"its output, each line cut at 400 characters:\n{clipped(output)}\n\nserver log:\n{server.log_tail(30)}")
    finally:
        server.stop()
