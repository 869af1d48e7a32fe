"""A programme manager's path (issue 6, so far): create a programme with an objective, enrol
people by pasting their ids, run matching and read a pair's explanation. Runs after
test_people_import.py, as the admin test_accounts_flow.py created."""
from __future__ import annotations

import os
import tempfile

from selenium.webdriver.common.by import By

from helpers import describe, fill, open_path, sign_in, submit, wait, wait_for_path
from test_accounts_flow import ADMIN

PEOPLE = (
    "id,name,department,level,timezone,languages,strengths,wants\n"
    "PG-1,Paula Gomes,Data,3,Europe/Lisbon,en,SQL:4,Python:1\n"
    "PG-2,Ravi Shah,Engineering,3,Europe/London,en,Python:4,SQL:2\n"
    "PG-3,Mei Lin,Sales,3,Europe/Berlin,en,Negotiation:4,Public Speaking:1\n"
    "PG-4,Tom Berg,Marketing,3,Europe/Paris,en,Public Speaking:4,Negotiation:2\n"
)


def set_value(driver, element_id: str, value: str) -> None:
    """Date inputs take typed text in the browser's locale; set the ISO value directly."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def test_a_manager_creates_a_programme_enrols_people_and_runs_matching(driver, base_url, timeout):
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)

    # People to match, through the import page.
    open_path(driver, base_url, "/admin/people/import")
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        file.write(PEOPLE)
    driver.find_element(By.ID, "import-file").send_keys(path)
    submit(driver, "Import", timeout)
    assert driver.find_element(By.ID, "created-count").text == "4", describe(driver)

    # A programme with an objective and a KPI.
    open_path(driver, base_url, "/programmes")
    driver.find_element(By.ID, "new-programme").click()
    wait_for_path(driver, "/programmes/new", timeout)
    fill(driver, {"name": "Data and sales swap", "cadence": "every two weeks"})
    set_value(driver, "cycle_start", "2027-02-01")
    set_value(driver, "cycle_end", "2027-07-31")
    fill(driver, {"objectives": "Keep early-career people\n- retention of participants >= 85 %"})
    submit(driver, "Save programme", timeout)
    objectives = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "objectives"))
    assert objectives and "retention of participants ≥ 85 %" in objectives[0].text, describe(driver)

    # Enrol the four by pasting their ids; the readiness check counts them.
    fill(driver, {"people": "PG-1\nPG-2\nPG-3\nPG-4"})
    submit(driver, "Enrol", timeout)
    assert "Enrolled 4 people." in driver.find_element(By.ID, "status").text, describe(driver)
    assert "4 ready to match" in driver.find_element(By.ID, "readiness").text, describe(driver)

    # Run matching; the run page refreshes itself until the result is there.
    submit(driver, "Run matching", timeout)
    pairs = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "pairs"))
    assert pairs, describe(driver)
    text = pairs[0].text
    assert "Paula Gomes and Ravi Shah" in text or "Ravi Shah and Paula Gomes" in text, describe(driver)
    assert "SQL 4" in text, f"the explanation names the skill and levels: {text}"
    assert "Proven best possible" in driver.find_element(By.ID, "optimality").text, describe(driver)
