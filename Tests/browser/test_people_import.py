"""Importing people through the upload page, then finding one by skill in the directory
(issue 3). Runs after test_accounts_flow.py, whose admin it signs in as."""
from __future__ import annotations

import os
import tempfile

from selenium.webdriver.common.by import By

from helpers import describe, fill, open_path, sign_in, submit, wait, wait_for_path
from test_accounts_flow import ADMIN

CSV = (
    "\ufeffID,Name,Email,Department,Level,Timezone,Languages,Strengths,Wants\r\n"
    '"ZN-1","Zanele Ndlovu","zanele@harbour-lane.example",Engineering,3,Africa/Johannesburg,en;zu,"Quantum Knitting:4;SQL:3",Negotiation\r\n'
    '"ZN-2","Émile Zola, Jr.","emile@harbour-lane.example","Sales",2,Europe/Paris,fr,"Negotiation:4","Quantum knitting:1"\r\n'
)


def test_an_admin_imports_a_csv_and_finds_an_imported_person_by_skill(driver, base_url, timeout):
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)
    open_path(driver, base_url, "/admin/people/import")
    wait_for_path(driver, "/admin/people/import", timeout)

    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        file.write(CSV)
    driver.find_element(By.ID, "import-file").send_keys(path)
    submit(driver, "Import", timeout)

    summary = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "import-summary"))
    assert summary, describe(driver)
    assert driver.find_element(By.ID, "created-count").text == "2", describe(driver)
    assert driver.find_element(By.ID, "rejected-count").text == "0", describe(driver)

    # Find Zanele through the directory's own search form, by a skill the import created.
    open_path(driver, base_url, "/people")
    wait_for_path(driver, "/people", timeout)
    fill(driver, {"skill": "quantum-knitting"})
    driver.find_element(By.NAME, "min_level").send_keys("4")
    submit(driver, "Search", timeout)
    results = wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "directory-results"))
    assert results, describe(driver)
    names = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#directory-results tbody td:first-child")]
    assert names == ["Zanele Ndlovu"], f"expected only Zanele (level 4); got {names}: {describe(driver)}"

    # The non-ASCII name with a comma survived the round trip into the directory.
    open_path(driver, base_url, "/people?want=quantum+knitting")
    names = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#directory-results tbody td:first-child")]
    assert names == ["Émile Zola, Jr."], describe(driver)
