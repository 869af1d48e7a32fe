"""The calendar feed and the invitation emails, read by a real iCalendar parser (Python
`icalendar`, pinned in scripts/install-test-deps.sh).

A real `mutual serve` on a fresh SQLite file with the demo organisation. The demo admin invites
the two members of one of the demo's open relationships (the invitations name their directory
entries, so the new memberships are those people); each accepts, signs in and makes an API
token. Then, through the API only, as a member would script it:

- schedule a meeting, fetch the member's feed URL (GET /api/v1/me/calendar) and the feed, and
  parse it: one VEVENT with a UID, SEQUENCE 0, STATUS CONFIRMED, a DTSTAMP, UTC times, and a
  VTIMEZONE for every TZID used (Mutual writes UTC, so none);
- reschedule (PATCH): the same UID, SEQUENCE raised, the new DTSTART;
- cancel: STATUS CANCELLED, SEQUENCE raised again, the other member's feed says so too;
- each change emailed both members an invitation with the .ics attached (METHOD REQUEST,
  then CANCEL), read from the outbox and parsed the same way;
- rotate (POST /api/v1/me/calendar/rotate): the old URL answers 404, the new one the feed.

Env: MUTUAL_BIN.
"""
from __future__ import annotations

import base64
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

import mutual_processes as mp

PASSWORD = "calendar-test-password-1"


def icalendar_module():
    try:
        import icalendar
    except ImportError:
        mp.unavailable("Python icalendar is not installed (bash scripts/install-test-deps.sh)")
    return icalendar


def outbox(database: str, recipient: str) -> list[tuple[str, list[dict]]]:
    """(subject, attachments) of every message the outbox kept for `recipient`, oldest first."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        rows = db.execute("SELECT subject, attachments FROM outbox_messages WHERE recipient = ? ORDER BY created_at",
                          (recipient.lower(),)).fetchall()
    return [(subject, json.loads(attachments or "[]")) for subject, attachments in rows]


def parse(text: str | bytes):
    """The calendar as icalendar reads it, with the checks every Mutual calendar must pass."""
    icalendar = icalendar_module()
    raw = text.encode("utf-8") if isinstance(text, str) else text
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "lines must end with CRLF, never a bare LF"
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "a line is longer than 75 octets"
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]).startswith("-//Mutual//")
    # A VTIMEZONE for every TZID used (Mutual writes UTC times, so it uses none).
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    used = {str(value.params["TZID"]) for component in calendar.walk() for value in component.values()
            if hasattr(value, "params") and "TZID" in value.params}
    assert used <= zones, f"TZIDs without a VTIMEZONE: {used - zones}"
    for event in calendar.walk("VEVENT"):
        assert event.get("UID") and event.get("DTSTAMP") and event.get("SEQUENCE") is not None
        for key in ("DTSTART", "DTEND", "DTSTAMP"):
            value = event.decoded(key)
            assert value.tzinfo is not None and value.utcoffset() == timedelta(0), f"{key} is not UTC: {value!r}"
    return calendar


def events(calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def demo_server(request):
    mp.requests_module()
    icalendar_module()
    with mp.demo_server(request, "calendar") as served:
        yield served


def two_members(server: mp.MutualServer, database: str) -> tuple[str, mp.Member, mp.Member]:
    """An open demo relationship of two people without logins, and both of them signed in."""
    admin = mp.Member(server.url, *mp.DEMO_ADMIN, token_name="calendar-test")
    programmes = admin.call("GET", "/api/v1/programmes", 200)["items"]
    for programme in programmes:
        for summary in admin.call("GET", f"/api/v1/programmes/{programme['id']}/relationships", 200)["items"]:
            if summary["status"] != "active" or len(summary["members"]) != 2:
                continue
            relationship = admin.call("GET", f"/api/v1/relationships/{summary['id']}", 200)
            people = [admin.call("GET", f"/api/v1/people/{m['person_id']}", 200) for m in relationship["members"]]
            if any(not p.get("email") or p["email"] == mp.DEMO_PARTICIPANT for p in people):
                continue
            members = []
            for person in people:
                mp.invite_and_accept(admin, database, person["email"], person["name"], PASSWORD)
                members.append(mp.Member(server.url, person["email"], PASSWORD, token_name="calendar-test"))
            return summary["id"], members[0], members[1]
    raise AssertionError("the demo has no open relationship of two people without logins")


def fetch(url: str):
    return mp.requests_module().get(url, timeout=60)


def test_feed_parses_and_follows_reschedule_cancel_and_rotation(demo_server):
    server, database = demo_server
    relationship, ana, ben = two_members(server, database)

    starts = (datetime.now(timezone.utc) + timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = ana.call("POST", f"/api/v1/relationships/{relationship}/meetings", 201,
                       json={"starts_at": starts.strftime("%Y-%m-%dT%H:%M:%SZ"), "duration_minutes": 45,
                             "place": "https://meet.example.com/abc-defg-hij",
                             "agenda": "Goals, then feedback; bring notes\nand questions — ✓"})
    meeting_id = meeting["id"]

    url = ana.call("GET", "/api/v1/me/calendar", 200)["url"]
    assert url.startswith(server.url + "/calendar/") and url.endswith(".ics"), url
    answer = fetch(url)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    first = events(parse(answer.content))
    uid = next(uid for uid in first if uid.startswith(meeting_id.lower() + "@"))
    event = first[uid]
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == starts and event.decoded("DTEND") == starts + timedelta(minutes=45)
    assert str(event["DESCRIPTION"]).startswith("Goals, then feedback; bring notes\nand questions — ✓")
    assert str(event["URL"]) == "https://meet.example.com/abc-defg-hij"

    later = starts + timedelta(days=1, hours=2)
    ana.call("PATCH", f"/api/v1/meetings/{meeting_id}", 200, json={"starts_at": later.strftime("%Y-%m-%dT%H:%M:%SZ")})
    moved = events(parse(fetch(url).content))[uid]
    assert int(moved["SEQUENCE"]) == 1, "a reschedule raises SEQUENCE on the same UID"
    assert moved.decoded("DTSTART") == later and str(moved["STATUS"]) == "CONFIRMED"

    ben.call("POST", f"/api/v1/meetings/{meeting_id}/cancel", 200, json={"note": "Off sick, sorry"})
    cancelled = events(parse(fetch(url).content))[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2
    bens = events(parse(fetch(ben.call("GET", "/api/v1/me/calendar", 200)["url"]).content))
    assert str(bens[uid]["STATUS"]) == "CANCELLED", "the other member's feed has the same meeting, cancelled"

    # Each change emailed both members an invitation with the .ics: REQUEST, REQUEST, CANCEL.
    for member in (ana, ben):
        def three_invitations():
            files = [a for _, attachments in outbox(database, member.email) for a in attachments
                     if a["contentType"].startswith("text/calendar")]
            return files if len(files) >= 3 else None
        files = mp.wait_until(three_invitations, 120, what=f"three calendar invitations to {member.email}")
        methods, sequences = [], []
        for file in files:
            calendar = parse(base64.b64decode(file["content"]))
            method = str(calendar["METHOD"])
            assert f"method={method}" in file["contentType"]
            invited = events(calendar)[uid]
            assert invited.get("ORGANIZER") and len(invited.get("ATTENDEE")) == 2
            methods.append(method)
            sequences.append(int(invited["SEQUENCE"]))
        assert methods == ["REQUEST", "REQUEST", "CANCEL"] and sequences == [0, 1, 2], (methods, sequences)

    new_url = ana.call("POST", "/api/v1/me/calendar/rotate", 200)["url"]
    assert new_url != url
    assert fetch(url).status_code == 404, "the rotated URL must answer 404"
    assert uid in events(parse(fetch(new_url).content))
    assert ana.call("GET", "/api/v1/me/calendar", 200)["url"] == new_url
