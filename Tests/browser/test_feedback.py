"""Feedback and its anonymity threshold in real browsers: issue 15's first "Done when" bullet
(the feedback part).

A real `mutual serve` on a fresh SQLite file with the demo organisation. The demo has pulses
answered by three people in one programme (below the default k of 5) and open pulses (with the
latest check-in) for that programme's other members, who have no login yet.

1. The demo admin (a programme manager and more) opens the programme's feedback page: the
   relationship-health row shows no score and says "2 more responses needed".
2. Two of the waiting members are invited and accept. The first, on a phone (390 px), follows
   "Feedback to give" from the dashboard, answers the pulse and the check-in with the big radios;
   the manager's page then still shows no score ("1 more response needed").
3. The second answers the pulse: with five people the manager's page shows the mean.

Screenshots of each form met (at 390 and 1366 px) go to Tests/browser/artifacts/feedback-*.png.

Env: MUTUAL_BIN.
"""
from __future__ import annotations

import pathlib
import re
import sqlite3
import uuid

import pytest
from selenium.webdriver.common.by import By

import helpers as H
import mutual_processes as mp

PASSWORD = "feedback-test-password-1"
PHONE = (390, 844)
DESKTOP = (1366, 900)
ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"


@pytest.fixture
def demo_server(request):
    mp.requests_module()
    with mp.demo_server(request, "feedback") as served:
        yield served


def as_uuid(value) -> str:
    """A UUID column as SQLite holds it (a 16-byte blob or text), as the URL spells it."""
    return str(uuid.UUID(bytes=value)) if isinstance(value, bytes) else str(uuid.UUID(str(value)))


def waiting_people(database: str) -> tuple[str, list[tuple[str, str]]]:
    """The programme with open pulses, and its waiting people (email, name) without an account."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        rows = db.execute(
            "SELECT r.programme_id, p.email, p.name FROM feedback_requests r JOIN people p ON p.id = r.person_id "
            "WHERE r.kind = 'pulse' AND r.answered_at IS NULL AND p.email IS NOT NULL AND p.email <> '' "
            "AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) ORDER BY p.name").fetchall()
        # The programme whose pulses wait for more people: the fewest people have answered one
        # (other programmes may have pulses the server's first scan just asked for).
        answered = {
            raw: db.execute(
                "SELECT COUNT(DISTINCT person_id) FROM feedback_responses WHERE kind = 'pulse' AND programme_id = ?", (raw,)).fetchone()[0]
            for raw in {row[0] for row in rows}
        }
    assert rows, "the demo should leave open pulses for members without a login"
    candidates = [raw for raw, count in answered.items() if count > 0]
    assert candidates, f"the demo should have a programme with a few pulses answered: {answered}"
    programme = as_uuid(min(candidates, key=lambda raw: answered[raw]))
    people = []
    for programme_id, email, name in rows:
        if as_uuid(programme_id) == programme and (email, name) not in people:
            people.append((email, name))
    return programme, people


def shoot(driver, name: str) -> None:
    """The page at phone and desktop widths, kept for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1366", DESKTOP)):
        driver.set_window_size(*size)
        driver.save_screenshot(str(ARTIFACTS / f"feedback-{name}-{label}.png"))
    driver.set_window_size(*PHONE)


def fits_on_a_phone(driver, what: str) -> None:
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
    assert scroll <= inner + 1, f"{what} overflows sideways on a phone: {scroll} > {inner} ({H.describe(driver)})"


def health_row(driver, base: str, programme: str, timeout: float) -> str:
    driver.get(f"{base}/programmes/{programme}/feedback")
    H.wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "measure-pulse"))
    return driver.find_element(By.ID, "measure-pulse").text


def answer(driver, base: str, link_text: str, score: str, timeout: float, shot: str | None) -> None:
    """From the dashboard's "Feedback to give", opens the request and answers it with `score`."""
    H.open_path(driver, base, "/dashboard")
    H.wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "dashboard-feedback"))
    link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#dashboard-feedback a.feedback-request") if a.text == link_text)
    H.mark_page(driver)
    link.click()
    H.wait_for_new_page(driver, timeout, f"opening {link_text!r}")
    assert re.fullmatch(r"/feedback/[0-9a-f-]{36}", H.path_of(driver)), H.describe(driver)
    fits_on_a_phone(driver, link_text)
    if shot:
        shoot(driver, shot)
    choice = driver.find_element(By.CSS_SELECTOR, f"label[for=score-{score}]")
    # A thumb-sized target: at least 44 × 44 CSS pixels.
    size = choice.size
    assert size["height"] >= 44 and size["width"] >= 44, f"the choice {score} is {size}: too small to tap"
    choice.click()
    H.mark_page(driver)
    driver.find_element(By.ID, "send-feedback").click()
    H.wait_for_new_page(driver, timeout, f"sending {link_text!r}")
    assert driver.find_element(By.ID, "status").text == "Thank you: your answer is in.", H.describe(driver)


def test_members_answer_and_the_manager_sees_a_score_only_from_five(demo_server, driver, second_driver, timeout):
    server, database = demo_server
    base = server.url
    programme, waiting = waiting_people(database)
    assert len(waiting) >= 2, f"the demo should leave at least two people with an open pulse: {waiting}"

    # 1. Three answers: no score, and why.
    H.sign_in(driver, base, *mp.DEMO_ADMIN, timeout)
    driver.set_window_size(*DESKTOP)
    row = health_row(driver, base, programme, timeout)
    assert "Not shown yet" in row and "2 more responses needed" in row, row
    shoot(driver, "manager-below-k")

    # 2. The first waiting member answers a pulse and a check-in on a phone.
    admin = mp.Member(base, *mp.DEMO_ADMIN)
    for email, name in waiting[:2]:
        mp.invite_and_accept(admin, database, email, name, PASSWORD)
    second_driver.set_window_size(*PHONE)
    H.sign_in(second_driver, base, waiting[0][0], PASSWORD, timeout)
    fits_on_a_phone(second_driver, "the dashboard")
    answer(second_driver, base, "How is your relationship going?", "4", timeout, shot="pulse")
    H.open_path(second_driver, base, "/dashboard")
    offered = [a.text for a in second_driver.find_elements(By.CSS_SELECTOR, "#dashboard-feedback a.feedback-request")]
    assert "How useful was the meeting?" in offered, f"the member's latest check-in should be waiting: {offered}"
    answer(second_driver, base, "How useful was the meeting?", "5", timeout, shot="check-in")
    row = health_row(driver, base, programme, timeout)
    assert "Not shown yet" in row and "1 more response needed" in row, row

    # 3. The second member makes five: the mean appears.
    second_driver.delete_all_cookies()
    H.sign_in(second_driver, base, waiting[1][0], PASSWORD, timeout)
    answer(second_driver, base, "How is your relationship going?", "5", timeout, shot=None)
    row = health_row(driver, base, programme, timeout)
    # Three demo answers of 4, then 4 and 5.
    assert "4.2" in row and "more response" not in row, row
    shoot(driver, "manager-at-k")
