"""The whole programme path of issue 6 in real browsers: a manager creates a programme with an
objective and an enrolment question, enrols people from a CSV while two participants enrol
themselves and answer it, sets the rules,
runs matching, reads an explanation, breaks one pair and locks another, re-runs, publishes; one
participant accepts and another declines; the accepted pair writes and signs its agreement.
Then, as the admin, the audit log (page and CSV export) shows every event the walk-through caused,
each with the person who did it, and its filters narrow it.

Runs after test_accounts_flow.py (its admin, Ada, manages the programme and is matched too)."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import contract as C
from helpers import (
    emailed_link,
    browser_fetch, describe, fill, mark_page, open_path, path_of, sign_in, submit, wait, wait_for_new_page, wait_for_path,
)
from test_accounts_flow import ADMIN
from test_programmes import set_value

DOMAIN = "harbour-lane.example"
PAT = {"name": "Pat Walker", "email": f"pat.walker@{DOMAIN}", "password": "pat's long walkthrough passphrase"}
QUINN = {"name": "Quinn Rowe", "email": f"quinn.rowe@{DOMAIN}", "password": "quinn's long walkthrough passphrase"}

# Ada and Pat teach each other; Quinn and Wen teach each other; Ivo and Lou teach each other.
PEOPLE = (
    "id,name,department,level,timezone,languages,strengths,wants\n"
    f"admin-{ADMIN['email']},{ADMIN['name']},People,3,Europe/Lisbon,en,Hiring:4,Statistics:2\n"
    f"member-{PAT['email']},{PAT['name']},Data,3,Europe/London,en,Statistics:4,Hiring:2\n"
    f"member-{QUINN['email']},{QUINN['name']},Design,3,Europe/Paris,en,Illustration:4,Copywriting:2\n"
    "WT-1,Wen Ortiz,Marketing,3,Europe/Madrid,en,Copywriting:4,Illustration:2\n"
    "WT-2,Ivo Brandt,Sales,3,Europe/Berlin,en,Negotiation:4,Budgeting:2\n"
    "WT-3,Lou Fischer,Finance,3,Europe/Vienna,en,Budgeting:4,Negotiation:2\n"
)

# What the walk-through leaves for the audit-log test after it: ids from the pages' addresses,
# the audit entries that existed before it started, and the server's time then.
WALK: dict = {}
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
AUDIT_CSV_HEADER = ["occurred_at", "type", "actor_person_id", "actor", "subject_type", "subject_id", "summary", "event_id"]


def invite(driver, second_driver, base_url, timeout, person) -> None:
    """The admin invites `person` as a participant; they accept in the second browser."""
    open_path(driver, base_url, C.ADMIN_MEMBERS)
    fill(driver, {"email": person["email"]})
    role = Select(driver.find_element(By.ID, C.INVITE_ROLE_ID))
    next(option for option in role.options if option.get_attribute("value") == "participant").click()
    submit(driver, C.INVITE_SUBMIT, timeout)
    wait(driver, timeout).until(lambda d: any(person["email"].lower() in e.text for e in d.find_elements(By.CSS_SELECTOR, "[role=status]")))
    # The link goes only by email to the invitee, never onto the admin's page.
    link = emailed_link(base_url, person["email"], C.INVITATION_PREFIX, timeout)
    second_driver.delete_all_cookies()
    second_driver.get(link)
    fill(second_driver, {"name": person["name"], "password": person["password"]})
    submit(second_driver, C.ACCEPT_SUBMIT, timeout)
    wait_for_path(second_driver, C.DASHBOARD, timeout)


def as_person(browser, base_url, timeout, person) -> None:
    browser.delete_all_cookies()
    sign_in(browser, base_url, person["email"], person["password"], timeout)


def enrol_self(browser, programme_path: str, base_url: str, timeout: float, goals: str, days: str) -> None:
    open_path(browser, base_url, programme_path)
    fill(browser, {"goals": goals, "answer_0": days})
    submit(browser, "Enrol", timeout)
    wait(browser, timeout).until(lambda d: d.find_elements(By.ID, "you-heading"))


def submit_form(driver, form_id: str, timeout: float) -> None:
    """Submits one form by its id (the programme page has two Enrol buttons: the manager's and one's own)."""
    mark_page(driver)
    driver.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]").click()
    wait_for_new_page(driver, timeout, f"submitting {form_id}")


def pair_names(driver) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#pairs > li > strong")]


def the_pair_with(names: list[str], person: str) -> str:
    found = [pair for pair in names if person in pair]
    assert found, f"no pair with {person} among {names}"
    return found[0]


def id_in(path: str, prefix: str) -> str:
    found = re.fullmatch(rf"{prefix}/({UUID})(?:/.*)?", path)
    assert found, f"expected an address {prefix}/<id>, got {path}"
    return found.group(1).lower()


def test_the_whole_programme_path(driver, second_driver, base_url, timeout):
    WALK.clear()
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)
    # What the audit log holds before the walk-through does anything, and the server's time.
    before = read_audit_csv(driver, "/admin/audit.csv", timeout)
    WALK["baseline"] = {row["event_id"] for row in before.rows}
    WALK["started"] = before.server_time
    invite(driver, second_driver, base_url, timeout, PAT)
    invite(driver, second_driver, base_url, timeout, QUINN)

    # Everyone's skills, through the import page (the two participants' rows use their member ids).
    open_path(driver, base_url, "/admin/people/import")
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        file.write(PEOPLE)
    driver.find_element(By.ID, "import-file").send_keys(path)
    submit(driver, "Import", timeout)
    assert driver.find_element(By.ID, "created-count").text == "3", describe(driver)
    assert driver.find_element(By.ID, "changed-count").text == "3", describe(driver)

    # A programme with an objective, open for self-enrolment.
    open_path(driver, base_url, "/programmes/new")
    fill(driver, {"name": "Walkthrough skill swap", "cadence": "every two weeks"})
    set_value(driver, "cycle_start", "2027-02-01")
    set_value(driver, "cycle_end", "2027-07-31")
    if not driver.find_element(By.ID, "self_enrolment").is_selected():
        driver.find_element(By.ID, "self_enrolment").click()
    fill(driver, {"objectives": "Spread skills across teams\n- meetings per pair per cycle >= 6",
                  "questions": "Which days suit you for meetings?"})
    submit(driver, "Save programme", timeout)
    objectives = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "objectives"))
    assert "meetings per pair per cycle ≥ 6" in objectives[0].text, describe(driver)
    programme_path = driver.current_url.replace(base_url, "")
    WALK["programme"] = id_in(programme_path, "/programmes")

    # The manager enrols four from a CSV; Pat and Quinn enrol themselves with their goals.
    fill(driver, {"people": f"id,role,goals\nadmin-{ADMIN['email']},peer,Read data with confidence\nWT-1,peer,\nWT-2,peer,\nWT-3,peer,"})
    submit_form(driver, "enrol-people-form", timeout)
    assert "Enrolled 4 people." in driver.find_element(By.ID, "status").text, describe(driver)
    as_person(second_driver, base_url, timeout, PAT)
    enrol_self(second_driver, programme_path, base_url, timeout, "Hire my first analyst well", "Tuesdays")
    as_person(second_driver, base_url, timeout, QUINN)
    enrol_self(second_driver, programme_path, base_url, timeout, "Write my own product copy", "Thursday mornings")
    open_path(driver, base_url, programme_path)
    assert "6 ready to match" in driver.find_element(By.ID, "readiness").text, describe(driver)
    assert "Which days suit you for meetings? Tuesdays" in driver.find_element(By.ID, "enrolments").text, describe(driver)

    # The rules: the effect first, then save.
    driver.find_element(By.ID, "edit-rules").click()
    effect = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "effect-count"))
    assert "With these rules, 6 of 6 people can be matched." in effect[0].text, describe(driver)
    fill(driver, {"reciprocity": "60"})
    submit(driver, "Save rules", timeout)
    assert "Saved." in driver.find_element(By.ID, "status").text, describe(driver)

    # Run, and read why Ada and Pat were matched.
    open_path(driver, base_url, programme_path)
    submit(driver, "Run matching", timeout)
    wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "pairs"))
    WALK["first_run"] = id_in(path_of(driver), "/runs")
    names = pair_names(driver)
    assert len(names) == 3, describe(driver)
    ada_pat = the_pair_with(names, "Pat Walker")
    assert "Ada Admin" in ada_pat, names
    assert "Statistics 4" in driver.find_element(By.ID, "pairs").text, describe(driver)

    # Break Ivo and Lou, lock Ada and Pat, re-run around them.
    ivo_lou = the_pair_with(names, "Ivo Brandt")
    submit(driver, f"Break {ivo_lou}", timeout)
    assert driver.find_element(By.ID, "status").text.startswith(f"Breaking {ivo_lou}: −"), describe(driver)
    submit(driver, f"Lock {ada_pat}", timeout)
    submit(driver, "Re-run around the locks", timeout)
    wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "locked-pairs") and d.find_elements(By.ID, "pairs"))
    rerun = pair_names(driver)
    WALK["rerun"] = id_in(path_of(driver), "/runs")
    assert WALK["rerun"] != WALK["first_run"], describe(driver)
    assert ada_pat in rerun and any("Quinn Rowe" in pair for pair in rerun), rerun
    assert not any("Ivo Brandt" in pair and "Lou Fischer" in pair for pair in rerun), rerun

    # Publish; Pat accepts, Quinn declines with a reason.
    # Publishing asks first: the confirmation says who is told and how, then the real submit.
    driver.find_element(By.CSS_SELECTOR, "#publish-confirm summary").click()
    assert "Publishing tells" in driver.find_element(By.ID, "publish-confirm").text, describe(driver)
    submit_form(driver, "publish-form", timeout)
    assert driver.find_elements(By.ID, "published"), describe(driver)
    WALK["published"] = len(rerun)
    as_person(second_driver, base_url, timeout, PAT)
    open_path(second_driver, base_url, "/matches")
    assert "Ada Admin" in second_driver.find_element(By.CSS_SELECTOR, ".match").text, describe(second_driver)
    submit(second_driver, "Accept this match", timeout)
    assert "You accepted the match." in second_driver.find_element(By.ID, "status").text, describe(second_driver)
    as_person(second_driver, base_url, timeout, QUINN)
    open_path(second_driver, base_url, "/matches")
    # Decline sits apart from Accept, behind "Not a good fit?".
    second_driver.find_element(By.CSS_SELECTOR, "details.decline summary").click()
    fill(second_driver, {"reason": "I am away for most of the cycle"})
    submit(second_driver, "Decline this match", timeout)
    assert "You declined the match." in second_driver.find_element(By.ID, "status").text, describe(second_driver)

    # Ada accepts too: the match becomes a relationship.
    open_path(driver, base_url, "/matches")
    submit(driver, "Accept this match", timeout)
    open_path(driver, base_url, programme_path)
    assert "I am away for most of the cycle" in driver.find_element(By.ID, "decline-reasons").text, describe(driver)

    # Pat writes the agreement and signs; Ada reads it and signs.
    as_person(second_driver, base_url, timeout, PAT)
    open_path(second_driver, base_url, "/matches")
    second_driver.find_element(By.PARTIAL_LINK_TEXT, "Open your relationship").click()
    wait(second_driver, timeout).until(lambda d: d.find_elements(By.ID, "agreement-form"))
    assert "Ada Admin (Hiring 4)" in second_driver.find_element(By.CSS_SELECTOR, ".teaching").text, describe(second_driver)
    fill(second_driver, {
        "vision": "Each of us can do one new thing by July",
        "goals": "Run a structured interview",
        "boundaries": "No talk about pay",
        "confidentiality": "Our teams' problems stay between us",
        "cadence": "Every two weeks, 45 minutes",
    })
    Select(second_driver.find_element(By.ID, "structure")).select_by_value("formal")
    submit(second_driver, "Save the agreement", timeout)
    assert "Agreement saved." in second_driver.find_element(By.ID, "status").text, describe(second_driver)
    mark_page(second_driver)
    second_driver.find_element(By.ID, "sign").click()
    wait_for_new_page(second_driver, timeout, "signing")
    assert "You signed" in second_driver.find_element(By.ID, "status").text, describe(second_driver)
    relationship_path = second_driver.current_url.replace(base_url, "").removesuffix("/sign")
    WALK["relationship"] = id_in(relationship_path, "/relationships")

    open_path(driver, base_url, relationship_path)
    assert "Each of us can do one new thing by July" in driver.find_element(By.ID, "agreement-vision").text, describe(driver)
    # Wait for the new page before reading it: reading while it replaces the old one races.
    mark_page(driver)
    driver.find_element(By.ID, "sign").click()
    wait_for_new_page(driver, timeout, "signing")
    assert "Signed by everyone." in driver.find_element(By.ID, "agreement-state").text, describe(driver)
    WALK["done"] = True


# --- The audit log of the walk-through ----------------------------------------------------------

class AuditCSV:
    def __init__(self, header: list[str], rows: list[dict[str, str]], server_time: datetime):
        self.header, self.rows, self.server_time = header, rows, server_time


def read_audit_csv(driver, path: str, timeout: float) -> AuditCSV:
    """The CSV export as the signed-in browser downloads it, parsed; with the server's clock
    (its Date header), so the walk-through's window does not depend on this machine's clock."""
    status, headers, text = browser_fetch(driver, path, timeout)
    assert status == 200, f"GET {path} answered {status}: {text[:300]}"
    assert headers.get("content-type", "").startswith("text/csv"), f"GET {path} is not CSV: {headers}"
    lines = list(csv.reader(io.StringIO(text)))
    assert lines, f"GET {path} returned nothing, not even a header row"
    header = lines[0]
    assert header == AUDIT_CSV_HEADER, f"the CSV header row of {path} is {header}"
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        assert len(line) == len(header), f"line {number} of {path} has {len(line)} fields: {line}"
        rows.append(dict(zip(header, line)))
    date = headers.get("date")
    server_time = parsedate_to_datetime(date) if date else datetime.now(timezone.utc)
    return AuditCSV(header, rows, server_time)


def occurred(row: dict[str, str]) -> datetime:
    """When an entry happened; the export writes UTC, with or without a trailing Z."""
    when = datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00"))
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def walk_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The entries the walk-through caused: new since it started, and not older than its start."""
    started = WALK["started"].replace(microsecond=0)
    return [row for row in rows if row["event_id"] not in WALK["baseline"] and occurred(row) >= started]


# Types whose subject the walk-through knows (from the pages' addresses); for the others the
# subjects are checked against each other below.
KNOWN_SUBJECT = {
    "programme.created", "enrolment.added", "programme_rules.changed", "match_run.started",
    "match_run.finished", "relationship.opened", "agreement.changed", "agreement.signed",
}


def expected_events() -> Counter:
    """Every event the walk-through causes (docs/events.md), as (type, actor's name, subject id)."""
    ada, pat, quinn, mutual = ADMIN["name"], PAT["name"], QUINN["name"], "Mutual"
    programme, first_run, rerun, relationship = WALK["programme"], WALK["first_run"], WALK["rerun"], WALK["relationship"]
    return Counter([
        ("invitation.created", ada, ""), ("invitation.accepted", pat, ""),
        ("invitation.created", ada, ""), ("invitation.accepted", quinn, ""),
        ("people.imported", ada, ""),
        ("programme.created", ada, programme),
        ("enrolment.added", ada, programme), ("enrolment.added", pat, programme), ("enrolment.added", quinn, programme),
        ("programme_rules.changed", ada, programme),
        ("match_run.started", ada, first_run), ("match_run.finished", mutual, first_run),
        ("match_run.started", ada, rerun), ("match_run.finished", mutual, rerun),
        *[("match.published", ada, "")] * WALK["published"],
        ("match.accepted", pat, ""), ("match.declined", quinn, ""), ("match.accepted", ada, ""),
        ("relationship.opened", ada, relationship),  # Ada accepted last
        ("agreement.changed", pat, relationship), ("agreement.signed", pat, relationship),
        ("agreement.signed", ada, relationship),
    ])


def event_key(row: dict[str, str]) -> tuple[str, str, str]:
    return row["type"], row["actor"], row["subject_id"].lower() if row["type"] in KNOWN_SUBJECT else ""


def show(rows: list[dict[str, str]]) -> str:
    return "\n".join(f"  {r['occurred_at']} {r['type']:<24} {r['actor']:<12} {r['subject_type']} {r['subject_id']}" for r in rows)


def page_rows(driver) -> list[tuple[str, str]]:
    """The audit table as (sentence, event type): the columns that name who did what. The time
    and the subject columns are left out, so their wording can change without this test."""
    rows = []
    for tr in driver.find_elements(By.CSS_SELECTOR, "#audit tbody tr"):
        sentence = tr.find_elements(By.CSS_SELECTOR, "td")[1].text.strip()
        kind = tr.find_element(By.CSS_SELECTOR, "td code").text.strip()
        rows.append((sentence, kind))
    return rows


def as_page_row(row: dict[str, str]) -> tuple[str, str]:
    """How a CSV row appears in the page's table."""
    return row["summary"], row["type"]


def entries_total(driver) -> int:
    heading = driver.find_element(By.ID, "entries-heading").text
    found = re.fullmatch(r"(\d+) entr(?:y|ies)", heading.strip())
    assert found, f"the audit heading reads {heading!r}: {describe(driver)}"
    return int(found.group(1))


def choose(driver, select_id: str, *, value: str | None = None, text: str | None = None) -> None:
    select = Select(driver.find_element(By.ID, select_id))
    if value is not None:
        select.select_by_value(value)
    else:
        select.select_by_visible_text(text)


def test_the_audit_log_shows_every_event_of_the_walkthrough(driver, base_url, timeout):
    if not WALK.get("done"):
        pytest.fail("test_the_whole_programme_path did not complete; fix that one first", pytrace=False)
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)
    expected = expected_events()

    # Events reach the log through a job: poll the export briefly until none is missing.
    deadline = time.monotonic() + min(timeout, 15)
    while True:
        export = read_audit_csv(driver, "/admin/audit.csv", timeout)
        walk = walk_rows(export.rows)
        actual = Counter(event_key(row) for row in walk)
        missing, unexpected = expected - actual, actual - expected
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert not missing and not unexpected, (
        f"the audit log does not match the walk-through (docs/events.md).\n"
        f"missing (type, actor, subject): {sorted(missing.elements())}\n"
        f"unexpected: {sorted(unexpected.elements())}\n"
        f"the walk-through's entries:\n{show(walk)}"
    )

    # The subjects the pages did not name hang together: each invitation is accepted by the
    # person it invited; Pat and Ada accepted the same published match, Quinn declined another.
    def subjects(kind: str, actor: str | None = None) -> list[str]:
        return [r["subject_id"] for r in walk if r["type"] == kind and (actor is None or r["actor"] == actor)]
    assert sorted(subjects("invitation.created")) == sorted(subjects("invitation.accepted")), show(walk)
    published = subjects("match.published")
    assert len(set(published)) == WALK["published"], show(walk)
    assert subjects("match.accepted", PAT["name"]) == subjects("match.accepted", ADMIN["name"]), show(walk)
    accepted, declined = subjects("match.accepted", PAT["name"])[0], subjects("match.declined")[0]
    assert accepted in published and declined in published and accepted != declined, show(walk)
    for row in walk:
        assert row["summary"].startswith(row["actor"] + " "), f"the summary does not name its actor: {row}"
        person = row["actor_person_id"]
        assert (row["actor"] == "Mutual") == (person == ""), f"Mutual has no person id, people do: {row}"

    # The page shows each of the walk-through's entries with its actor, under each type's filter,
    # and the filter leaves only that type: as many as the export holds of it.
    open_path(driver, base_url, "/admin/audit")
    everything = entries_total(driver)
    assert everything == len(export.rows), f"the page counts {everything} entries, the export has {len(export.rows)}"
    for kind in sorted({row["type"] for row in walk}):
        open_path(driver, base_url, f"/admin/audit?type={kind}&per_page=500")
        shown = page_rows(driver)
        of_kind = [row for row in export.rows if row["type"] == kind]
        assert entries_total(driver) == len(of_kind) == len(shown), (
            f"filtering by {kind}: heading {entries_total(driver)}, {len(shown)} rows, the export has {len(of_kind)}: {describe(driver)}")
        assert all(row[1] == kind for row in shown), f"filtering by {kind} shows other types: {shown}"
        want = Counter(as_page_row(row) for row in walk if row["type"] == kind)
        assert not want - Counter(shown), f"the {kind} entries missing from the page: {sorted((want - Counter(shown)).elements())}"

    # The filter form, as a person uses it: by type, then by person; its CSV link exports the same.
    open_path(driver, base_url, "/admin/audit")
    choose(driver, "audit-type", value="agreement.signed")
    submit(driver, "Show", timeout)
    assert "type=agreement.signed" in driver.current_url, describe(driver)
    shown = page_rows(driver)
    assert 0 < entries_total(driver) == len(shown) < everything, describe(driver)
    assert {row[1] for row in shown} == {"agreement.signed"}, shown
    assert {row[0] for row in shown} >= {f"{ADMIN['name']} signed an agreement", f"{PAT['name']} signed an agreement"}, shown
    link = driver.find_element(By.ID, "audit-csv").get_dom_attribute("href")
    assert "type=agreement.signed" in link, f"the CSV link does not keep the filter: {link}"
    filtered = read_audit_csv(driver, link, timeout)
    assert sorted(as_page_row(row) for row in filtered.rows) == sorted(shown), (
        f"the filtered CSV and the page differ:\n{show(filtered.rows)}\npage: {shown}")
    assert [row["event_id"] for row in filtered.rows] == [row["event_id"] for row in export.rows if row["type"] == "agreement.signed"]

    open_path(driver, base_url, "/admin/audit")
    choose(driver, "audit-person", text=PAT["name"])
    submit(driver, "Show", timeout)
    shown = page_rows(driver)
    pats = [row for row in export.rows if row["actor"] == PAT["name"]]
    assert entries_total(driver) == len(shown) == len(pats), describe(driver)
    assert all(row[0].startswith(PAT["name"] + " ") for row in shown), shown
    assert {row[1] for row in shown} == {"invitation.accepted", "enrolment.added", "match.accepted", "agreement.changed", "agreement.signed"}, shown
    filtered = read_audit_csv(driver, driver.find_element(By.ID, "audit-csv").get_dom_attribute("href"), timeout)
    assert sorted(as_page_row(row) for row in filtered.rows) == sorted(shown), show(filtered.rows)
