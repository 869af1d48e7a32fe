"""The whole programme path of issue 6 in real browsers: a manager creates a programme with an
objective and an enrolment question, enrols people from a CSV while two participants enrol
themselves and answer it, sets the rules,
runs matching, reads an explanation, breaks one pair and locks another, re-runs, publishes; one
participant accepts and another declines; the accepted pair writes and signs its agreement.

Runs after test_accounts_flow.py (its admin, Ada, manages the programme and is matched too)."""
from __future__ import annotations

import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import contract as C
from helpers import describe, fill, mark_page, open_path, sign_in, submit, wait, wait_for_new_page, wait_for_path
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


def invite(driver, second_driver, base_url, timeout, person) -> None:
    """The admin invites `person` as a participant; they accept in the second browser."""
    open_path(driver, base_url, C.ADMIN_MEMBERS)
    fill(driver, {"email": person["email"]})
    role = Select(driver.find_element(By.ID, C.INVITE_ROLE_ID))
    next(option for option in role.options if option.get_attribute("value") == "participant").click()
    submit(driver, C.INVITE_SUBMIT, timeout)
    link = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, C.INVITATION_LINK_ID) or False)[0]
    second_driver.delete_all_cookies()
    second_driver.get(link.get_dom_attribute("href"))
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


def test_the_whole_programme_path(driver, second_driver, base_url, timeout):
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)
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
    assert ada_pat in rerun and any("Quinn Rowe" in pair for pair in rerun), rerun
    assert not any("Ivo Brandt" in pair and "Lou Fischer" in pair for pair in rerun), rerun

    # Publish; Pat accepts, Quinn declines with a reason.
    submit(driver, "Publish these matches", timeout)
    assert driver.find_elements(By.ID, "published"), describe(driver)
    as_person(second_driver, base_url, timeout, PAT)
    open_path(second_driver, base_url, "/matches")
    assert "Ada Admin" in second_driver.find_element(By.CSS_SELECTOR, ".match").text, describe(second_driver)
    submit(second_driver, "Accept", timeout)
    assert "You accepted the match." in second_driver.find_element(By.ID, "status").text, describe(second_driver)
    as_person(second_driver, base_url, timeout, QUINN)
    open_path(second_driver, base_url, "/matches")
    fill(second_driver, {"reason": "I am away for most of the cycle"})
    submit(second_driver, "Decline", timeout)
    assert "You declined the match." in second_driver.find_element(By.ID, "status").text, describe(second_driver)

    # Ada accepts too: the match becomes a relationship.
    open_path(driver, base_url, "/matches")
    submit(driver, "Accept", timeout)
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

    open_path(driver, base_url, relationship_path)
    assert "Each of us can do one new thing by July" in driver.find_element(By.ID, "agreement-vision").text, describe(driver)
    # Wait for the new page before reading it: reading while it replaces the old one races.
    mark_page(driver)
    driver.find_element(By.ID, "sign").click()
    wait_for_new_page(driver, timeout, "signing")
    assert "Signed by everyone." in driver.find_element(By.ID, "agreement-state").text, describe(driver)
