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


PHONE = (390, 844)


def test_the_admin_pages_fit_a_phone_and_boxes_sit_beside_their_labels(driver, base_url, timeout):
    """Issue 19: at 390 px no admin page scrolls sideways (the import page was 1,034 px wide,
    Members 712, Email 465; Skills and Programmes were pushed wider by their tables' hidden
    labels), and a checkbox or radio is a small box at the start of its label's line, not a
    full-width box centred away from its words."""
    sign_in(driver, base_url, ADMIN["email"], ADMIN["password"], timeout)
    driver.set_window_size(*PHONE)
    for path in ("/admin/people/import", "/admin/members", "/profile/email", "/skills", "/programmes", "/people"):
        open_path(driver, base_url, path)
        wait_for_path(driver, path, timeout)
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
        assert scroll <= inner + 1, f"{path} overflows sideways on a phone: scrollWidth {scroll} > innerWidth {inner} ({describe(driver)})"

    open_path(driver, base_url, "/admin/people/import")
    boxes = driver.find_elements(By.CSS_SELECTOR, "main input[type=radio], main input[type=checkbox]")
    assert len(boxes) == 3, describe(driver)
    for box in boxes:
        label = box.find_element(By.XPATH, "./ancestor::label")
        b, l = box.rect, label.rect
        assert b["width"] <= 32 and b["height"] <= 32, f"a {b['width']} × {b['height']} px box: {label.text!r}"
        assert b["x"] - l["x"] <= 4 and abs(b["y"] - l["y"]) <= 12, f"the box is not at the start of its label {label.text!r}: {b} in {l}"
