"""Two `mutual serve` replicas on one PostgreSQL database, and what a `kill -9` of one does.

Each test makes a database of its own on MUTUAL_TEST_POSTGRES, starts replica A (which runs the
migrations) and then replica B on it with the same MUTUAL_SECRET and MUTUAL_JOB_LEASE_SECONDS=3,
sets the organisation up through A's /setup form and takes an API token from its tokens page.

- A 10,000-person match run is started through A's API; whichever replica's worker claims the
  run's job (GET /api/v1/jobs shows `claimed_by` = host:pid:random, and the pid says which
  process) is killed with SIGKILL, and the other must take the job over once the lease lapses
  and finish the run, with a complete result and one `match_run.finished` event.
- A stream of invitations (each one row, one event and one email job in one transaction) goes
  to both replicas from four threads while A is killed with SIGKILL; every acknowledged write
  must be in the database exactly once, nothing twice, each with its event and its email job,
  and A must serve again after a restart.
"""
from __future__ import annotations

import itertools
import random
import shutil
import threading
import time
from dataclasses import dataclass, field

import pytest

import mutual_processes as mp

LEASE_SECONDS = 3
RUN_PEOPLE = 10_000
RUN_FINISH_BOUND = 300  # seconds after the kill; a debug build on two cores takes about 20


@dataclass
class Replicas:
    db: mp.PostgresDatabase
    a: mp.MutualServer
    b: mp.MutualServer
    admin: mp.Admin


@pytest.fixture
def replicas(request):
    admin_url = mp.postgres_admin_url()
    mp.mutual_binary()
    mp.requests_module()
    workdir = mp.new_workdir("mutual-replicas-")
    db = mp.PostgresDatabase(admin_url, "mutual_replicas")
    servers: list[mp.MutualServer] = []
    try:
        db.create()
        env = mp.server_environment(MUTUAL_JOB_LEASE_SECONDS=str(LEASE_SECONDS))
        a = mp.MutualServer("replica-A", db.url, workdir, env)
        b = mp.MutualServer("replica-B", db.url, workdir, env)
        servers += [a, b]
        a.start()  # A migrates the fresh database; B starts on the migrated schema
        b.start()
        admin = mp.Admin(a.url, organisation="Replica Org")
        yield Replicas(db, a, b, admin)
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            for server in servers:
                print(f"\n--- last lines of {server.name}'s log (pids {server.pids}) ---\n{server.log_tail(60)}")
        for server in servers:
            server.stop()
        db.drop()
        shutil.rmtree(workdir, ignore_errors=True)


# --- a match run survives the kill of the replica running it --------------------------------

SKILLS = [f"Craft {i:02d}" for i in range(40)]
DEPARTMENTS = ["Engineering", "Sales", "Finance", "People", "Operations", "Design", "Legal", "Data"]
ZONES = ["Europe/Berlin", "Europe/Lisbon", "America/New_York", "Asia/Kolkata", "America/Montevideo"]


def people_csv(count: int, seed: int = 42) -> str:
    """`count` people, each strong (3-5) in three skills and wanting two others, so everyone
    has something to teach and something to learn."""
    rnd = random.Random(seed)
    lines = ["id,name,email,department,company,level,timezone,languages,strengths,wants"]
    for i in range(count):
        picked = rnd.sample(SKILLS, 5)
        strengths = ";".join(f"{skill}:{rnd.randint(3, 5)}" for skill in picked[:3])
        wants = ";".join(f"{skill}:{rnd.randint(0, 2)}" for skill in picked[3:])
        lines.append(
            f"r{i:05d},Person {i:05d},person{i:05d}@replicas.example,{rnd.choice(DEPARTMENTS)},Replica Ltd,"
            f"{rnd.randint(1, 6)},{rnd.choice(ZONES)},en,{strengths},{wants}")
    return "\n".join(lines) + "\n"


def find_job(admin: mp.Admin, url: str, subject: str, status: str | None = None) -> dict | None:
    for job in admin.jobs(url, status=status):
        if job["subject"] == subject:
            return job
    return None


def test_match_run_of_10000_people_survives_kill_9_of_the_replica_running_it(replicas: Replicas):
    a, b, admin = replicas.a, replicas.b, replicas.admin
    csv = people_csv(RUN_PEOPLE)
    answer = admin.post(a.url, "/api/v1/people/import", data=csv.encode(), headers={"Content-Type": "text/csv"}, timeout=600)
    assert answer.status_code == 200, f"import answered {answer.status_code}: {answer.text[:500]}"
    report = answer.json()
    assert report["created"] == RUN_PEOPLE and report["rejected_count"] == 0, report["summary"]

    answer = admin.post(a.url, "/api/v1/programmes", json={
        "name": "Ten thousand peers", "model": "pairs", "cycle_start": "2027-01-01", "cycle_end": "2027-06-30"})
    assert answer.status_code == 201, f"creating the programme answered {answer.status_code}: {answer.text[:500]}"
    programme = answer.json()["id"]
    enrol = "id\n" + "\n".join(f"r{i:05d}" for i in range(RUN_PEOPLE)) + "\n"
    answer = admin.post(a.url, f"/api/v1/programmes/{programme}/enrolments/import", data=enrol.encode(),
                        headers={"Content-Type": "text/csv"}, timeout=600)
    assert answer.status_code == 200 and answer.json()["added"] == RUN_PEOPLE, (
        f"enrolling answered {answer.status_code}: {answer.text[:500]}")

    answer = admin.post(a.url, f"/api/v1/programmes/{programme}/runs", json={"seed": 11})
    assert answer.status_code == 202, f"starting the run answered {answer.status_code}: {answer.text[:500]}"
    run = answer.json()
    assert run["status"] == "running" and run["participants"] == RUN_PEOPLE, run
    subject = f"match_run:{run['id'].lower()}"

    # The run's job, as soon as a worker holds it.
    def claimed():
        job = find_job(admin, a.url, subject, status="running")
        return job if job and job.get("claimed_by") else None

    job = mp.wait_until(claimed, timeout=60, interval=0.05, what=f"a worker to claim {subject}")
    owner = mp.worker_pid(job["claimed_by"])
    if owner == a.pid:
        victim, survivor = a, b
    elif owner == b.pid:
        victim, survivor = b, a
    else:
        pytest.fail(f"the run's job is claimed by {job['claimed_by']!r}, whose pid is neither A's ({a.pid}) nor B's ({b.pid})")
    assert job["attempts"] == 1, job
    victim.kill9()
    killed = time.monotonic()
    print(f"\n[replicas] the run's job was claimed by {victim.name} ({job['claimed_by']}); killed it, {survivor.name} survives")

    # If the victim finished the run before the signal landed, this test proves nothing: say so.
    after_kill = find_job(admin, survivor.url, subject)
    assert after_kill is not None, f"the run's job {subject} disappeared"
    if after_kill["status"] == "finished" and after_kill["attempts"] == 1:
        pytest.fail(
            f"the run finished on {victim.name} before it could be killed, so nothing was taken over; "
            f"enlarge the problem (RUN_PEOPLE = {RUN_PEOPLE})")
    answer = admin.get(survivor.url, f"/api/v1/runs/{run['id']}")
    assert answer.status_code == 200 and answer.json()["status"] == "running", (
        f"right after the kill the run should still be running: {answer.status_code} {answer.text[:300]}")

    # The survivor takes the job over once the lease lapses, and finishes the run.
    owners_seen: set[str] = set()
    deadline = killed + RUN_FINISH_BOUND
    final = None
    while time.monotonic() < deadline:
        current = find_job(admin, survivor.url, subject)
        if current and current.get("claimed_by"):
            owners_seen.add(current["claimed_by"])
        answer = admin.get(survivor.url, f"/api/v1/runs/{run['id']}", timeout=60)
        assert answer.status_code == 200, f"GET the run on {survivor.name} answered {answer.status_code}: {answer.text[:300]}"
        if answer.json()["status"] != "running":
            final = answer.json()
            break
        time.sleep(0.5)
    took = time.monotonic() - killed
    assert final is not None, (
        f"the run did not finish on {survivor.name} within {RUN_FINISH_BOUND} s of the kill; "
        f"its job: {find_job(admin, survivor.url, subject)}")
    print(f"[replicas] {survivor.name} finished the run {took:.1f} s after the kill; workers seen on the job: {sorted(owners_seen)}")
    assert final["status"] == "done", f"the run ended {final['status']}: {final.get('failure')}"
    assert final["failure"] == ""

    job = find_job(admin, survivor.url, subject)
    assert job is not None and job["status"] == "finished", f"the run's job: {job}"
    assert job["attempts"] >= 2, f"the job should have been claimed again after the kill: {job}"
    survivor_owners = {o for o in owners_seen if mp.worker_pid(o) == survivor.pid}
    assert survivor_owners, f"{survivor.name} (pid {survivor.pid}) was never seen holding the job; holders seen: {owners_seen}"
    assert all(mp.worker_pid(o) in (survivor.pid, victim.pid) for o in owners_seen), owners_seen

    # A complete result: everyone is in exactly one pair (or triad), or unmatched with a reason.
    result = final["result"]
    assert final["participants"] == RUN_PEOPLE and result["participants"] == RUN_PEOPLE, (final["participants"], result["participants"])
    assert result["pairs"], "the finished run has no pairs"
    seen: list[str] = []
    for pair in result["pairs"]:
        seen += [pair["a"], pair["b"]]
        assert pair["score"] > 0 and pair["reasons"], pair
    for triad in result.get("triads", []):
        seen += list(triad["members"]) if isinstance(triad, dict) and "members" in triad else list(triad)
    unmatched = [u["id"] if isinstance(u, dict) else u for u in result.get("unmatched", [])]
    assert len(seen) == len(set(seen)), "someone is in two pairs"
    assert set(seen).isdisjoint(unmatched), "someone is both matched and unmatched"
    assert set(seen) | set(unmatched) == {f"r{i:05d}" for i in range(RUN_PEOPLE)}, "the result lost or invented people"
    assert final["matched"] == len(seen) == result["matched"], (final["matched"], len(seen), result["matched"])

    # Finished once: one finished event, no failure, whatever ran twice.
    events = replicas.db.rows(
        "SELECT type, count(*) FROM domain_events WHERE subject_type = 'match_run' "
        f"AND lower(subject_id) = '{run['id'].lower()}' GROUP BY type ORDER BY type")
    assert dict((t, int(n)) for t, n in events) == {"match_run.started": 1, "match_run.finished": 1}, events


# --- acknowledged writes survive the kill of a replica --------------------------------------

@dataclass
class Attempt:
    number: int
    email: str
    replica: str
    started: float
    ended: float = 0.0
    status: int | None = None  # HTTP status, None when no answer came
    invitation_id: str | None = None
    error: str = ""


@dataclass
class WriteLog:
    attempts: list[Attempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acked(self, replica: str | None = None, after: float = 0.0) -> list[Attempt]:
        with self.lock:
            return [t for t in self.attempts if t.invitation_id and (replica is None or t.replica == replica) and t.started >= after]


def write_stream(admin: mp.Admin, targets: list[mp.MutualServer], log: WriteLog, stop: threading.Event, numbers) -> None:
    """One writer: invitations with unique addresses, alternating between the replicas."""
    requests = mp.requests_module()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {admin.token}"
    while not stop.is_set():
        with log.lock:
            number = next(numbers)
        target = targets[number % len(targets)]
        attempt = Attempt(number, f"w{number:05d}@writes.example", target.name, time.monotonic())
        with log.lock:
            log.attempts.append(attempt)
        try:
            answer = session.post(target.url + "/api/v1/invitations", json={"email": attempt.email}, timeout=30)
        except requests.RequestException as error:
            attempt.error = type(error).__name__
            session.close()  # a fresh connection next time
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {admin.token}"
        else:
            attempt.status = answer.status_code
            if 200 <= answer.status_code < 300:
                body = answer.json()
                assert body["email"] == attempt.email, body
                attempt.invitation_id = body["id"].lower()
            else:
                attempt.error = answer.text[:200]
        attempt.ended = time.monotonic()
        if attempt.error and target.name.endswith("B"):
            time.sleep(0.05)  # do not spin if the survivor has trouble; the test reports it


def test_acknowledged_writes_survive_kill_9_of_a_replica(replicas: Replicas):
    a, b, admin, db = replicas.a, replicas.b, replicas.admin, replicas.db
    log = WriteLog()
    stop = threading.Event()
    numbers = itertools.count()
    writers = [threading.Thread(target=write_stream, args=(admin, [a, b], log, stop, numbers), daemon=True) for _ in range(4)]
    for writer in writers:
        writer.start()
    try:
        mp.wait_until(lambda: len(log.acked("replica-A")) >= 40 and len(log.acked("replica-B")) >= 40,
                      timeout=120, interval=0.05, what="40 acknowledged writes on each replica")
        a.kill9()
        killed = time.monotonic()
        mp.wait_until(lambda: len(log.acked("replica-B", after=killed)) >= 60, timeout=120, interval=0.05,
                      what="60 acknowledged writes on replica B after the kill")
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
    assert not any(writer.is_alive() for writer in writers), "a writer hung"

    attempts = list(log.attempts)
    acked = [t for t in attempts if t.invitation_id]
    cut = [t for t in attempts if t.replica == "replica-A" and t.started < killed and not t.invitation_id]
    refused = [t for t in attempts if t.replica == "replica-A" and t.started >= killed]
    print(f"\n[replicas] {len(attempts)} writes, {len(acked)} acknowledged; {len(cut)} in flight on A when it was killed, "
          f"{len(refused)} sent to A after it")
    on_b = [t for t in attempts if t.replica == "replica-B"]
    troubled = [t for t in on_b if not t.invitation_id]
    assert not troubled, f"replica B refused or dropped writes while A died: {[(t.email, t.status, t.error) for t in troubled[:5]]}"
    assert all(not t.invitation_id for t in refused), "a write to A after its kill was acknowledged?"
    assert all(t.error for t in attempts if t.replica == "replica-A" and not t.invitation_id), "A answered a write with an error status"

    # Read everything back through the survivor's API: every acknowledged write once, with its id.
    answer = admin.get(b.url, "/api/v1/invitations", timeout=60)
    assert answer.status_code == 200, answer.text[:300]
    listed = [item for item in answer.json()["items"] if item["email"].endswith("@writes.example")]
    by_email: dict[str, list[str]] = {}
    for item in listed:
        by_email.setdefault(item["email"], []).append(item["id"].lower())
    twice = {email: ids for email, ids in by_email.items() if len(ids) > 1}
    assert not twice, f"written twice: {twice}"
    missing = [t.email for t in acked if t.email not in by_email]
    assert not missing, f"{len(missing)} acknowledged writes are not in the database: {missing[:10]}"
    wrong_id = [(t.email, t.invitation_id, by_email[t.email]) for t in acked if by_email[t.email] != [t.invitation_id]]
    assert not wrong_id, f"acknowledged ids differ from the stored ones: {wrong_id[:5]}"
    attempted = {t.email for t in attempts}
    phantoms = sorted(set(by_email) - attempted)
    assert not phantoms, f"invitations nobody sent: {phantoms[:10]}"
    unacked_but_stored = [t.email for t in attempts if not t.invitation_id and t.email in by_email]
    print(f"[replicas] {len(unacked_but_stored)} unacknowledged writes were committed anyway (allowed, once)")

    # The same through SQL, with what each invitation's transaction wrote beside it: one
    # invitation.created event and one email job each, and never more.
    rows = db.rows(
        "SELECT i.id, i.email,"
        " (SELECT count(*) FROM domain_events e WHERE e.type = 'invitation.created' AND lower(e.subject_id) = lower(i.id::text)),"
        " (SELECT count(*) FROM jobs j WHERE j.kind = 'email.send' AND j.unique_key = 'email:invitation:' || lower(i.id::text))"
        " FROM invitations i WHERE i.email LIKE '%@writes.example'")
    assert sorted(r[1] for r in rows) == sorted(by_email), "SQL and the API disagree about the invitations"
    incomplete = [r for r in rows if (r[2], r[3]) != ("1", "1")]
    assert not incomplete, f"invitations without exactly one event and one email job: {incomplete[:5]}"

    # The email jobs A held when it died are taken over: every invitation's message is kept.
    def all_mail_done():
        left = db.rows(
            "SELECT status, count(*) FROM jobs WHERE kind = 'email.send' AND unique_key LIKE 'email:invitation:%' "
            "AND status <> 'finished' GROUP BY status")
        return not left
    mp.wait_until(all_mail_done, timeout=90, interval=0.5, what="every invitation's email job to finish")
    kept = db.rows(
        "SELECT i.email, count(o.id), max(j.attempts) FROM invitations i"
        " JOIN jobs j ON j.unique_key = 'email:invitation:' || lower(i.id::text)"
        " LEFT JOIN outbox_messages o ON o.recipient = i.email"
        " WHERE i.email LIKE '%@writes.example' GROUP BY i.email")
    unsent = [r for r in kept if r[1] == "0"]
    assert not unsent, f"invitation emails lost with replica A: {unsent[:5]}"
    # Delivery is at least once: a message may be kept twice only if its job ran twice.
    doubled = [r for r in kept if int(r[1]) > 1 and int(r[2]) < 2]
    assert not doubled, f"messages kept twice by a job that ran once: {doubled[:5]}"

    # A comes back on its port and serves reads and writes again.
    a.start()
    answer = admin.post(a.url, "/api/v1/invitations", json={"email": "after-restart@writes.example"})
    assert answer.status_code == 201, f"restarted A refused a write: {answer.status_code} {answer.text[:300]}"
    answer = admin.get(a.url, "/api/v1/invitations", timeout=60)
    assert answer.status_code == 200
    emails = [item["email"] for item in answer.json()["items"] if item["email"].endswith("@writes.example")]
    assert len(emails) == len(set(emails)) == len(by_email) + 1, (len(emails), len(set(emails)), len(by_email))
