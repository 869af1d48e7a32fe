"""A programme manager sets the matching rules (checking their effect first), runs matching,
breaks one pair and locks another on the run page, and re-runs around them (issue 6, points
3 and 4). Runs after test_programmes.py, as the admin test_accounts_flow.py created."""
from __future__ import annotations

import os
import tempfile

from selenium.webdriver.common.by import By

from helpers import describe, fill, open_path, sign_in, submit, wait, wait_for_path
from test_accounts_flow import ADMIN
from test_programmes import set_value

PEOPLE = (
    "id,name,department,level,timezone,languages,strengths,wants\n"
    "PE-1,Lena Vogt,Data,3,Europe/Lisbon,en,SQL:4,Python:1\n"
    "PE-2,Omar Haddad,Engineering,3,Europe/London,en,Python:4,SQL:2\n"
    "PE-3,Kai Moreau,Sales,3,Europe/Berlin,en,Negotiation:4,Public Speaking:1\n"
    "PE-4,Sara Quist,Marketing,3,Europe/Paris,en,Public Speaking:4,Negotiation:2\n"
)


def pair_items(driver):
    return [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#pairs > li")]


def test_a_manager_sets_rules_breaks_and_locks_pairs_and_reruns(driver, base_url, timeout):
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)

    open_path(driver, base_url, "/admin/people/import")
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        file.write(PEOPLE)
    driver.find_element(By.ID, "import-file").send_keys(path)
    submit(driver, "Import", timeout)
    assert driver.find_element(By.ID, "created-count").text == "4", describe(driver)

    open_path(driver, base_url, "/programmes/new")
    fill(driver, {"name": "Edit and re-run"})
    set_value(driver, "cycle_start", "2027-02-01")
    set_value(driver, "cycle_end", "2027-07-31")
    submit(driver, "Save programme", timeout)
    fill(driver, {"people": "PE-1\nPE-2\nPE-3\nPE-4"})
    submit(driver, "Enrol", timeout)
    assert "Enrolled 4 people." in driver.find_element(By.ID, "status").text, describe(driver)

    # The rules editor shows the effect, checks a change without saving, then saves.
    driver.find_element(By.ID, "edit-rules").click()
    effect = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "effect-count"))
    assert "With these rules, 4 of 4 people can be matched." in effect[0].text, describe(driver)
    # A value the browser accepts but the server cannot use is explained (the form's own limits catch the rest).
    fill(driver, {"min_overlap_hours": "10"})
    submit(driver, "Check the effect", timeout)
    assert "10 h is longer than the working day (8 h)" in driver.find_element(By.ID, "form-error").text, describe(driver)
    fill(driver, {"min_overlap_hours": "2", "reciprocity": "60"})
    submit(driver, "Check the effect", timeout)
    assert "Not saved yet" in driver.find_element(By.ID, "status").text, describe(driver)
    submit(driver, "Save rules", timeout)
    assert "Saved." in driver.find_element(By.ID, "status").text, describe(driver)

    # Run matching and wait for the pairs.
    driver.find_element(By.PARTIAL_LINK_TEXT, "Edit and re-run").click()
    submit(driver, "Run matching", timeout)
    wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "pairs"))
    first_run = driver.current_url
    items = pair_items(driver)
    assert len(items) == 2, describe(driver)
    # Names of each pair as the page writes them ("Lena Vogt and Omar Haddad").
    names = [driver.find_elements(By.CSS_SELECTOR, "#pairs > li > strong")[i].text for i in range(2)]

    # Break the first pair: the effect on the score is shown.
    submit(driver, f"Break {names[0]}", timeout)
    status = driver.find_element(By.ID, "status").text
    assert status.startswith(f"Breaking {names[0]}: −") and "of at most" in status, describe(driver)
    assert len(pair_items(driver)) == 1, describe(driver)

    # Lock the other pair, then re-run around it.
    submit(driver, f"Lock {names[1]}", timeout)
    assert f"Locked {names[1]}" in driver.find_element(By.ID, "status").text, describe(driver)
    assert "locked" in pair_items(driver)[0], describe(driver)
    submit(driver, "Re-run around the locks", timeout)
    locked = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "locked-pairs") and d.find_elements(By.ID, "pairs"))
    assert driver.current_url != first_run, describe(driver)
    assert names[1] in driver.find_element(By.ID, "locked-pairs").text, describe(driver)
    assert names[0] in driver.find_element(By.ID, "broken-pairs").text, describe(driver)
    pairs = " | ".join(pair_items(driver))
    assert names[1] in pairs, describe(driver)
    assert names[0] not in pairs, f"the broken pair was proposed again: {pairs}"
