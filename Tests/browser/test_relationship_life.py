"""A relationship's life after the agreement, on a phone-sized window (390 × 844): issue 14's
first "Done when" bullet, end to end in real browsers.

A real `mutual serve` on a fresh SQLite file with the demo organisation (like
test_calendar_feed.py). The demo participant, Ana Silva, has an open peer pair in "New joiner
buddies" whose other member has no login yet: the demo admin invites that person (the invitation
names their directory entry) and moves their profile to Asia/Kolkata (UTC+05:30), so their local
time differs from Ana's Europe/Lisbon by hours and a half and a wrong conversion shows.

1. Ana opens her relationship, follows "Find a time when everyone is free", and schedules the
   first suggested slot with "Schedule this time". The meeting page lists the partner's local
   time, which must equal the slot's start converted with Python zoneinfo to the partner's zone.
2. Ana logs one of the past meetings (taught SQL, learned a skill from the form's datalist);
   the partner, in a second browser, logs the same meeting the other way round. Ana's
   relationship page then shows both logs for that meeting, who taught whom what (logged by
   both), and the reciprocity balance saying both teach.
3. The demo admin opens the needs-attention list, finds a pair flagged "No first meeting",
   sends its members a message with the list's form, and the relationship's Messages section
   shows it marked as from the programme manager.

Every page visited is checked for horizontal overflow at 390 px.

Env: MUTUAL_BIN.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

import helpers as H
import mutual_processes as mp

PARTICIPANT_PASSWORD = "demo-participant-password"
PARTNER_PASSWORD = "relationship-life-password-1"
PARTNER_ZONE = "Asia/Kolkata"  # UTC+05:30 all year: hours and a half away from Ana's Lisbon
PHONE = (390, 844)
UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"


@pytest.fixture
def demo_server(request):
    mp.requests_module()
    with mp.demo_server(request, "life") as served:
        yield served


# --- page helpers ------------------------------------------------------------------------------

def phone(driver) -> None:
    driver.set_window_size(*PHONE)


def assert_fits(driver, what: str) -> None:
    """No horizontal scrolling on a 390 px wide phone."""
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
    assert inner <= PHONE[0], f"the window is not phone-sized ({inner} px wide)"
    assert scroll <= inner + 1, f"{what} overflows sideways on a phone: scrollWidth {scroll} > innerWidth {inner} ({H.describe(driver)})"


def visit(driver, base: str, path: str, timeout: float, what: str) -> None:
    driver.get(base + path)
    H.wait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert H.path_of(driver) == path, f"expected {path} for {what}: {H.describe(driver)}"
    assert_fits(driver, what)


def click_and_load(driver, element, timeout: float, what: str) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    H.mark_page(driver)
    element.click()
    H.wait_for_new_page(driver, timeout, what)
    assert_fits(driver, what)


def texts(driver, css: str) -> list[str]:
    return [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, css)]


def describe_slot(start: datetime, minutes: int, zone: str) -> str:
    """MeetingTimeText.describe in Python: "Tuesday 8 December 2026, 10:00–10:45 (Europe/Berlin)"."""
    tz = ZoneInfo(zone)
    local, end = start.astimezone(tz), (start + timedelta(minutes=minutes)).astimezone(tz)
    day = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    end_text = f"{end:%H:%M}" if end.date() == local.date() else f"{day(end)} {end:%H:%M}"
    return f"{day(local)}, {local:%H:%M}–{end_text} ({zone})"


def log_meeting(driver, base: str, log_path: str, taught: tuple[str, str], learned: tuple[str, str], timeout: float) -> None:
    visit(driver, base, log_path, timeout, "the meeting log form")
    offered = driver.execute_script(
        "return Array.from(document.querySelectorAll('#taxonomy-skills option')).map(o => o.value);")
    for skill, _ in (taught, learned):
        assert skill in offered, f"the log form's datalist does not offer {skill!r}: {offered}"
    for prefix, (skill, note) in (("taught", taught), ("learned", learned)):
        for suffix, value in (("skill", skill), ("note", note)):
            element = driver.find_elements(By.NAME, f"{prefix}_{suffix}")[0]
            element.clear()
            element.send_keys(value)
    click_and_load(driver, driver.find_element(By.ID, "save-log"), timeout, "saving the log")


# --- the test ----------------------------------------------------------------------------------

def test_schedule_log_both_sides_and_nudge_on_a_phone(demo_server, driver, second_driver, timeout):
    server, database = demo_server
    base = server.url

    # Ana's open relationship in "New joiner buddies" and its other member, who has no login yet.
    admin = mp.Member(base, *mp.DEMO_ADMIN)
    relationship_id = ana = partner = None
    for programme in admin.call("GET", "/api/v1/programmes", 200)["items"]:
        if programme["name"] != "New joiner buddies":
            continue
        for summary in admin.call("GET", f"/api/v1/programmes/{programme['id']}/relationships", 200)["items"]:
            if summary["status"] != "active":
                continue
            relationship = admin.call("GET", f"/api/v1/relationships/{summary['id']}", 200)
            people = [admin.call("GET", f"/api/v1/people/{m['person_id']}", 200) for m in relationship["members"]]
            if any(p.get("email") == mp.DEMO_PARTICIPANT for p in people):
                assert len(people) == 2, f"Ana's buddy relationship should be a pair: {people}"
                relationship_id = summary["id"]
                ana = next(p for p in people if p.get("email") == mp.DEMO_PARTICIPANT)
                partner = next(p for p in people if p.get("email") != mp.DEMO_PARTICIPANT)
    assert relationship_id and partner, "the demo participant has no active relationship in New joiner buddies"
    moved = admin.call("PATCH", f"/api/v1/people/{partner['id']}", 200, json={"timezone": PARTNER_ZONE})
    assert moved["timezone"] == PARTNER_ZONE
    mp.invite_and_accept(admin, database, partner["email"], partner["name"], PARTNER_PASSWORD)
    ana_name, partner_name = ana["name"], partner["name"]
    ana_zone = ana["timezone"]
    assert ana_zone and ana_zone != PARTNER_ZONE

    # 1. Ana, on her phone, finds a time and schedules the first suggestion.
    phone(driver)
    H.sign_in(driver, base, mp.DEMO_PARTICIPANT, PARTICIPANT_PASSWORD, timeout)
    assert_fits(driver, "the dashboard")
    relationship_path = f"/relationships/{relationship_id}"
    visit(driver, base, relationship_path, timeout, "Ana's relationship page")
    assert "New joiner buddies" in H.heading_text(driver, timeout)
    upcoming_before = texts(driver, "#upcoming-meetings li")
    click_and_load(driver, driver.find_element(By.ID, "find-a-time"), timeout, "Find a time when everyone is free")
    assert H.path_of(driver) == f"{relationship_path}/slots", H.describe(driver)
    assert H.heading_text(driver, timeout) == "Find a time"
    first = driver.find_element(By.CSS_SELECTOR, "#slots > li.slot:first-child")
    first_id = first.get_attribute("id")
    starts_at = first.find_element(By.CSS_SELECTOR, "input[name=starts_at]").get_attribute("value")
    minutes = int(first.find_element(By.CSS_SELECTOR, "input[name=duration_minutes]").get_attribute("value"))
    start = datetime.fromisoformat(starts_at.replace("Z", "+00:00"))
    assert start.tzinfo is not None, starts_at
    expected_mine = describe_slot(start, minutes, ana_zone)
    expected_theirs = f"{partner_name}: {describe_slot(start, minutes, PARTNER_ZONE)}"
    assert first.find_element(By.CSS_SELECTOR, ".slot-when").text == expected_mine
    assert expected_theirs in texts(driver, f"#{first_id} .slot-other"), texts(driver, f"#{first_id} .slot-other")
    # Whoever has no availability set counts as Monday–Friday 09:00–17:00 at home (the page says
    # so); the slot must then sit inside that person's local working day.
    notices = " ".join(texts(driver, ".default-availability"))
    defaults = [zone for zone in (ana_zone, PARTNER_ZONE) if f"time zone ({zone}) is assumed" in notices]
    assert PARTNER_ZONE in defaults, f"the partner has no availability in the demo, so the page should say the default is assumed: {notices!r}"
    for zone in defaults:
        local, local_end = start.astimezone(ZoneInfo(zone)), (start + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
        assert local.weekday() < 5 and local.date() == local_end.date() and local.hour >= 9 and \
            (local_end.hour, local_end.minute) <= (17, 0), f"the slot is outside 09:00–17:00 on a weekday in {zone}: {local}–{local_end}"
    button = first.find_element(By.CSS_SELECTOR, "button[type=submit]")
    assert button.text == "Schedule this time"
    click_and_load(driver, button, timeout, "Schedule this time")
    meeting_match = re.fullmatch(rf"/meetings/({UUID})", H.path_of(driver))
    assert meeting_match, f"scheduling should land on the meeting's page: {H.describe(driver)}"
    assert driver.find_element(By.ID, "status").text.startswith("Meeting scheduled."), H.describe(driver)
    local_times = texts(driver, "ul.local-times li")
    assert f"{ana_name} (you): {expected_mine}" in local_times, local_times
    assert expected_theirs in local_times, f"the partner's local time should be {expected_theirs!r}: {local_times}"
    assert driver.find_element(By.ID, "meeting-when").text.startswith(expected_mine.split(" (")[0])
    visit(driver, base, relationship_path, timeout, "the relationship page after scheduling")
    upcoming = texts(driver, "#upcoming-meetings li")
    assert expected_mine in upcoming and expected_mine not in upcoming_before, upcoming

    # 2. Both log learning on a past meeting, from the ledger section. Skills no one has logged in
    # this relationship yet, so the new "who taught whom" lines can only come from these logs.
    entries = driver.find_elements(By.CSS_SELECTOR, "#ledger article.ledger-entry")
    assert len(entries) >= 3, "the demo relationship has three past meetings in its ledger"
    flows_before = texts(driver, "#ledger-flows li")
    target = entries[0]
    meeting_when = target.find_element(By.TAG_NAME, "h4").text
    log_link = target.find_element(By.CSS_SELECTOR, "a[href$='/log']")
    assert log_link.text in ("Log what you taught and learned", "Change your log"), log_link.text
    log_path = re.sub(r"^https?://[^/]+", "", log_link.get_attribute("href"))
    assert re.fullmatch(rf"/meetings/{UUID}/log", log_path), log_path
    click_and_load(driver, log_link, timeout, "the ledger's log link")
    assert H.path_of(driver) == log_path and H.heading_text(driver, timeout) == "Log this meeting"
    offered = driver.execute_script("return Array.from(document.querySelectorAll('#taxonomy-skills option')).map(o => o.value);")
    fresh = [skill for skill in offered if not any(f" {skill}: " in line for line in flows_before)]
    assert len(fresh) >= 2, f"the datalist should offer skills not yet in the ledger: {offered} / {flows_before}"
    ana_teaches, partner_teaches = (fresh[0], "Walked through my own example"), (fresh[1], "Showed how I prepare")
    log_meeting(driver, base, log_path, taught=ana_teaches, learned=partner_teaches, timeout=timeout)
    assert driver.find_element(By.ID, "status").text.startswith("Logged."), H.describe(driver)
    visit(driver, base, relationship_path, timeout, "the relationship page with Ana's log")
    one_side = f"{ana_name} taught {partner_name} {ana_teaches[0]}: 1 meeting (logged by one side)"
    assert one_side in texts(driver, "#ledger-flows li"), texts(driver, "#ledger-flows li")

    phone(second_driver)
    H.sign_in(second_driver, base, partner["email"], PARTNER_PASSWORD, timeout)
    assert_fits(second_driver, "the partner's dashboard")
    visit(second_driver, base, relationship_path, timeout, "the partner's relationship page")
    their_times = texts(second_driver, "#upcoming-meetings li")
    assert describe_slot(start, minutes, PARTNER_ZONE) in their_times, f"the partner sees the new meeting in their own zone: {their_times}"
    log_meeting(second_driver, base, log_path, taught=partner_teaches, learned=ana_teaches, timeout=timeout)
    assert second_driver.find_element(By.ID, "status").text.startswith("Logged."), H.describe(second_driver)

    visit(driver, base, relationship_path, timeout, "the relationship page with both logs")
    logged = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#ledger article.ledger-entry")
                  if a.find_element(By.TAG_NAME, "h4").text == meeting_when)
    logs = {div.find_element(By.TAG_NAME, "strong").text: div.text for div in logged.find_elements(By.CSS_SELECTOR, ".ledger-log")}
    assert set(logs) == {ana_name, partner_name}, f"one log each for {meeting_when} (a second log replaces the first): {logs}"
    assert f"Taught: {ana_teaches[0]} ({ana_teaches[1]})" in logs[ana_name].splitlines(), logs[ana_name]
    assert f"Learned: {partner_teaches[0]} ({partner_teaches[1]})" in logs[ana_name].splitlines(), logs[ana_name]
    assert f"Taught: {partner_teaches[0]} ({partner_teaches[1]})" in logs[partner_name].splitlines(), logs[partner_name]
    assert f"Learned: {ana_teaches[0]} ({ana_teaches[1]})" in logs[partner_name].splitlines(), logs[partner_name]
    assert "Not logged yet" not in logged.text
    assert logged.find_element(By.CSS_SELECTOR, "a[href$='/log']").text == "Change your log"
    flows = texts(driver, "#ledger-flows li")
    assert f"{ana_name} taught {partner_name} {ana_teaches[0]}: 1 meeting (logged by both)" in flows, flows
    assert f"{partner_name} taught {ana_name} {partner_teaches[0]}: 1 meeting (logged by both)" in flows, flows
    assert one_side not in flows
    balance = driver.find_element(By.ID, "ledger-balance")
    assert "Both of you are teaching: learning goes both ways." in balance.text, balance.text
    # Each side's line must agree with the logs the page itself shows, meeting by meeting.
    taught_in: dict[str, list[set[str]]] = {ana_name: [], partner_name: []}
    for article in driver.find_elements(By.CSS_SELECTOR, "#ledger article.ledger-entry"):
        for div in article.find_elements(By.CSS_SELECTOR, ".ledger-log"):
            name = div.find_element(By.TAG_NAME, "strong").text
            taught_in[name].append({e.text.split(" (")[0] for e in div.find_elements(By.XPATH, ".//p[starts-with(normalize-space(.), 'Taught:')]/span")})
    sides = texts(driver, "#ledger-balance li")
    for teacher, learner in ((ana_name, partner_name), (partner_name, ana_name)):
        meetings = sum(1 for skills in taught_in[teacher] if skills)
        skills = len(set().union(*taught_in[teacher]))
        expected = f"{teacher} taught {learner} in {meetings} meeting{'' if meetings == 1 else 's'} ({skills} skill{'' if skills == 1 else 's'})"
        assert expected in sides, f"{expected!r} not in {sides}"
        assert meetings >= 1 and skills >= 1
    assert not driver.find_elements(By.ID, "one-sided-prompt")

    # 3. The manager nudges a stalled pair from the needs-attention list.
    driver.delete_all_cookies()
    H.sign_in(driver, base, *mp.DEMO_ADMIN, timeout)
    manager_name = driver.find_element(By.CSS_SELECTOR, "header .who, .who").text.split(" · ")[0]
    assert manager_name, H.describe(driver)
    visit(driver, base, "/attention", timeout, "the needs-attention list")
    stalled = [item for item in driver.find_elements(By.CSS_SELECTOR, "#attention-list li.attention-item")
               if any(f.text.startswith("No first meeting") for f in item.find_elements(By.CSS_SELECTOR, ".flags li"))]
    assert stalled, f"no pair flagged 'No first meeting' in needs attention: {H.describe(driver)}"
    item = stalled[0]
    stalled_id = item.get_attribute("id").removeprefix("attention-")
    assert re.fullmatch(UUID, stalled_id), stalled_id
    assert "stalled" in item.find_element(By.CSS_SELECTOR, ".badge").text
    summary = next(s for s in item.find_elements(By.TAG_NAME, "summary") if s.text == "Message the members")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
    summary.click()
    nudge = "Hello both: have you found a time for your first meeting? Find a time on your relationship page."
    box = item.find_element(By.ID, f"nudge-{stalled_id}")
    H.wait(driver, timeout).until(lambda d: box.is_displayed())
    box.send_keys(nudge)
    assert_fits(driver, "the needs-attention list with the message form open")
    send = box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']")
    click_and_load(driver, send, timeout, "sending the nudge")
    assert not driver.find_elements(By.ID, "form-error"), H.describe(driver)
    assert driver.find_element(By.ID, "status").text == \
        "Message sent: it is in the relationship's thread, marked as from the programme manager.", H.describe(driver)

    visit(driver, base, f"/relationships/{stalled_id}", timeout, "the stalled relationship's page")
    messages = driver.find_elements(By.CSS_SELECTOR, "#thread li.message")
    from_manager = [m for m in messages if nudge in m.find_element(By.CSS_SELECTOR, ".message-body").text]
    assert len(from_manager) == 1, f"the nudge should be in the thread once: {[m.text for m in messages]}"
    nudged = from_manager[0]
    assert "from-manager" in nudged.get_attribute("class").split()
    assert nudged.find_element(By.CSS_SELECTOR, ".badge").text == "from the programme manager"
    assert nudged.find_element(By.CSS_SELECTOR, ".message-meta strong").text == manager_name, nudged.text
