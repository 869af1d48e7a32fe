"""First run, sign-in, invitations and sign-out in real browsers (issue 2, point 10).

The tests run in file order against one fresh server: each builds on what the one
before it created (the organisation, then the invited member). Run through
`bash scripts/test.sh`, which starts that server on an empty SQLite file.
"""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import contract as C
from helpers import (
    emailed_link,
    describe, fill, heading_text, http_status, mark_page, open_path, path_of, sign_in,
    sign_out_form, submit, visible_alert, wait, wait_for_new_page, wait_for_path,
)

ADMIN = {
    "organisation_name": "Harbour Lane Mentoring",
    "name": "Ada Admin",
    "email": "ada.admin@harbour-lane.example",
    "password": "correct horse battery staple",
}
MEMBER = {
    "name": "Milo Member",
    "email": "milo.member@harbour-lane.example",
    "password": "a long and memorable passphrase",
}
WRONG_PASSWORD = "not the right password at all"

# What earlier tests established, so a later test fails with the real cause.
state: dict[str, str] = {}


def needs(key: str) -> str:
    if key not in state:
        pytest.fail(f"an earlier test in this file did not complete ({key} missing); fix that one first",
                    pytrace=False)
    return state[key]


def test_01_first_run_leads_to_setup_which_creates_the_organisation_and_signs_in_its_admin(driver, base_url, timeout):
    open_path(driver, base_url, C.ROOT)
    try:
        wait_for_path(driver, C.SETUP, timeout)
    except AssertionError as error:
        raise AssertionError(f"an empty database must lead / to {C.SETUP} (is the server's database fresh?): {error}")

    fill(driver, {key: ADMIN[key] for key in C.SETUP_FIELDS})
    submit(driver, C.SETUP_SUBMIT, timeout)

    wait_for_path(driver, C.DASHBOARD, timeout)
    assert C.DASHBOARD_HEADING in heading_text(driver, timeout), describe(driver)
    assert sign_out_form(driver) is not None, f"signed-in pages must offer Sign out: {describe(driver)}"
    state["admin"] = ADMIN["email"]


def test_02_setup_is_closed_once_an_organisation_exists(driver, base_url, timeout):
    needs("admin")
    open_path(driver, base_url, C.ROOT)
    wait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert path_of(driver) != C.SETUP, f"/ must not lead to setup any more: {describe(driver)}"

    open_path(driver, base_url, C.SETUP)
    wait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert not driver.find_elements(By.NAME, "organisation_name"), (
        f"a stranger must not be offered a second setup form: {describe(driver)}"
    )


def test_03_a_wrong_password_is_refused_on_the_sign_in_page_and_the_right_one_signs_in(driver, base_url, timeout):
    admin_email = needs("admin")
    open_path(driver, base_url, C.DASHBOARD)
    wait_for_path(driver, C.SIGN_IN, timeout)  # not signed in yet

    fill(driver, {"email": admin_email, "password": WRONG_PASSWORD})
    submit(driver, C.SIGN_IN_SUBMIT, timeout)

    alert = visible_alert(driver, timeout, C.FORM_ERROR_ID)
    message = alert.text.lower()
    assert any(word in message for word in C.WRONG_CREDENTIALS_SUBJECT), f"error should name email/password: {alert.text!r}"
    assert any(word in message for word in C.WRONG_CREDENTIALS_VERDICT), f"error should say it is wrong: {alert.text!r}"
    assert path_of(driver) == C.SIGN_IN, f"a refused sign-in stays on the sign-in page: {describe(driver)}"
    assert sign_out_form(driver) is None, f"a refused sign-in must not sign in: {describe(driver)}"

    open_path(driver, base_url, C.DASHBOARD)
    wait_for_path(driver, C.SIGN_IN, timeout)  # still not signed in

    fill(driver, {"email": admin_email, "password": ADMIN["password"]})
    submit(driver, C.SIGN_IN_SUBMIT, timeout)
    wait_for_path(driver, C.DASHBOARD, timeout)
    assert C.DASHBOARD_HEADING in heading_text(driver, timeout), describe(driver)
    assert not driver.find_elements(By.ID, C.FORM_ERROR_ID) or not driver.find_element(By.ID, C.FORM_ERROR_ID).text.strip()


def test_04_an_admin_invites_a_member_who_accepts_in_another_browser(driver, second_driver, base_url, timeout):
    admin_email = needs("admin")
    sign_in(driver, base_url, admin_email, ADMIN["password"], timeout)

    open_path(driver, base_url, C.ADMIN_MEMBERS)
    wait_for_path(driver, C.ADMIN_MEMBERS, timeout)
    members = driver.find_element(By.TAG_NAME, "table").text
    assert admin_email in members, f"the members table lists the admin: {members!r}"
    assert MEMBER["email"] not in members

    invite_email = driver.find_element(By.ID, C.INVITE_EMAIL_ID)
    invite_email.clear()
    invite_email.send_keys(MEMBER["email"])
    role = Select(driver.find_element(By.ID, C.INVITE_ROLE_ID))
    offered = {option.get_attribute("value") for option in role.options}
    assert set(C.INVITE_ROLES) <= offered, f"role options: {sorted(offered)}"
    # By the option's value property, so <option>participant</option> works as well.
    next(option for option in role.options if option.get_attribute("value") == "participant").click()
    submit(driver, C.INVITE_SUBMIT, timeout)

    wait(driver, timeout).until(lambda d: any(MEMBER["email"].lower() in e.text for e in d.find_elements(By.CSS_SELECTOR, "[role=status]")))
    # The link goes only by email to the invitee, never onto the admin's page.
    assert not driver.find_elements(By.CSS_SELECTOR, f'a[href*="{C.INVITATION_PREFIX}"]'), "the members page shows an invitation link"
    href = emailed_link(base_url, MEMBER["email"], C.INVITATION_PREFIX, timeout)
    assert re.fullmatch(re.escape(base_url + C.INVITATION_PREFIX) + r"[A-Za-z0-9_\-.~%=]{16,}", href), (
        f"the invitation link must be an absolute accept URL with an unguessable token, got {href!r}"
    )

    # The invited person, in a browser of their own, with no session.
    second_driver.get(href)
    wait_for_path(second_driver, C.INVITATION_PREFIX + href.rsplit("/", 1)[1], timeout)
    fill(second_driver, {"name": MEMBER["name"], "password": MEMBER["password"]})
    submit(second_driver, C.ACCEPT_SUBMIT, timeout)
    wait_for_path(second_driver, C.DASHBOARD, timeout)
    assert C.DASHBOARD_HEADING in heading_text(second_driver, timeout), describe(second_driver)
    state["member"] = MEMBER["email"]

    # They are signed in as the participant, not as the admin: admin pages refuse them.
    open_path(second_driver, base_url, C.ADMIN_MEMBERS)
    wait(second_driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert not second_driver.find_elements(By.ID, C.INVITE_EMAIL_ID), (
        f"a participant must not get the admin members page: {describe(second_driver)}"
    )

    # The link is single-use.
    second_driver.get(href)
    used = visible_alert(second_driver, timeout)
    assert any(word in used.text.lower() for word in C.USED_INVITATION_WORDS), f"used invitation message: {used.text!r}"
    assert not second_driver.find_elements(By.NAME, "password"), "a used invitation must not offer the form again"
    assert http_status(href, timeout) in C.USED_INVITATION_STATUSES

    # The admin's own session was untouched, and the new member is listed.
    open_path(driver, base_url, C.ADMIN_MEMBERS)
    wait_for_path(driver, C.ADMIN_MEMBERS, timeout)
    assert MEMBER["email"] in driver.find_element(By.TAG_NAME, "table").text


def test_05_the_new_member_signs_in_with_the_password_chosen_on_acceptance(driver, base_url, timeout):
    member_email = needs("member")
    sign_in(driver, base_url, member_email, MEMBER["password"], timeout)
    assert C.DASHBOARD_HEADING in heading_text(driver, timeout), describe(driver)


def test_06_signing_out_ends_the_session(driver, base_url, timeout):
    admin_email = needs("admin")
    sign_in(driver, base_url, admin_email, ADMIN["password"], timeout)

    form = sign_out_form(driver)
    assert form is not None, f"no sign-out form: {describe(driver)}"
    assert (form.get_dom_attribute("method") or "").lower() == "post", "sign-out must be a POST"
    csrf = form.find_elements(By.CSS_SELECTOR, f"input[type=hidden][name={C.CSRF_FIELD}]")
    assert csrf and (csrf[0].get_dom_attribute("value") or "").strip(), "the sign-out form carries a CSRF token"

    mark_page(driver)
    form.find_element(By.XPATH, f".//button[normalize-space(.)='{C.SIGN_OUT_SUBMIT}']").click()
    wait_for_new_page(driver, timeout, "signing out")
    wait(driver, timeout).until(lambda d: path_of(d) != C.DASHBOARD)
    assert sign_out_form(driver) is None, f"after signing out there is nothing to sign out of: {describe(driver)}"

    open_path(driver, base_url, C.DASHBOARD)
    wait_for_path(driver, C.SIGN_IN, timeout)
