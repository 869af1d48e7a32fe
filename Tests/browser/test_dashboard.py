"""The programme dashboard and the ISMCP evidence pack in a real browser: issue 15's first
"Done when" bullet (the dashboard part).

A real `mutual serve` on a fresh SQLite file with the demo organisation. The demo admin opens
every programme's dashboard: each objective's KPI shows a value, a status and a chart, the page
fits a phone, and the KPI table's CSV download holds exactly the table's cells. Then the
evidence pack of the programme five months into its cycle names all six standards.

Screenshots at 390 and 1366 px go to Tests/browser/artifacts/dashboard-*.png.

Env: MUTUAL_BIN.
"""
from __future__ import annotations

import csv
import io
import pathlib
import re

import pytest
from selenium.webdriver.common.by import By

import helpers as H
import mutual_processes as mp

PHONE = (390, 844)
DESKTOP = (1366, 900)
ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"
STATUSES = {"On track", "At risk", "Off track"}


@pytest.fixture
def demo_server(request):
    mp.requests_module()
    with mp.demo_server(request, "dashboard") as served:
        yield served


def shoot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1366", DESKTOP)):
        driver.set_window_size(*size)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size[0], min(height + 100, 8000))
        driver.save_screenshot(str(ARTIFACTS / f"dashboard-{name}-{label}.png"))
    driver.set_window_size(*DESKTOP)


def table_cells(driver, table_id: str) -> list[list[str]]:
    """The table's rows as the page shows them (header first), without the download link."""
    table = driver.find_element(By.ID, table_id)
    rows = []
    for row in table.find_elements(By.CSS_SELECTOR, "thead tr, tbody tr"):
        rows.append([cell.text.strip() for cell in row.find_elements(By.CSS_SELECTOR, "th, td")])
    return rows


def test_every_demo_kpi_has_a_value_status_and_chart_and_the_csv_is_the_table(demo_server, driver, timeout):
    server, _ = demo_server
    base = server.url
    H.sign_in(driver, base, *mp.DEMO_ADMIN, timeout)
    driver.set_window_size(*DESKTOP)
    H.open_path(driver, base, "/dashboard/programmes")
    links = driver.find_elements(By.CSS_SELECTOR, "#programme-dashboards a")
    programmes = [(a.text, a.get_attribute("href")) for a in links]
    assert len(programmes) >= 5, f"the demo should have its programmes on the overview: {programmes}"
    spring = None
    for name, href in programmes:
        path = re.sub(r"^https?://[^/]+", "", href)
        H.open_path(driver, base, path)
        H.wait(driver, timeout).until(lambda d: d.find_elements(By.ID, "kpis-heading"))
        cards = driver.find_elements(By.CSS_SELECTOR, "article.kpi")
        assert cards, f"{name}: the demo gives every programme at least one KPI"
        for card in cards:
            title = card.find_element(By.TAG_NAME, "h3").text
            value = card.find_element(By.CSS_SELECTOR, ".figure").text
            status = card.find_element(By.CSS_SELECTOR, ".badge").text.replace("✓", "").replace("✗", "").replace("!", "").strip()
            assert value and value != "–", f"{name}: {title} has no value ({card.text})"
            assert status in STATUSES, f"{name}: {title} has status {status!r}"
            charts = card.find_elements(By.CSS_SELECTOR, "svg.chart[role=img]")
            assert charts and charts[0].find_element(By.TAG_NAME, "title").get_attribute("textContent"), f"{name}: {title} has no labelled chart"
        shown = table_cells(driver, "table-kpis")
        status, headers, text = H.browser_fetch(driver, f"{path}/kpis.csv", timeout)
        assert status == 200 and headers.get("content-type", "").startswith("text/csv"), (status, headers)
        downloaded = [row for row in csv.reader(io.StringIO(text))]
        assert [[cell.strip() for cell in row] for row in downloaded] == shown, f"{name}: the CSV differs from the table"
        driver.set_window_size(*PHONE)
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
        assert scroll <= inner + 1, f"{name}: the dashboard overflows a phone ({scroll} > {inner})"
        driver.set_window_size(*DESKTOP)
        if name == "Spring skill swap":
            spring = path
            shoot(driver, "spring")
    assert spring, f"the demo's programme five months into its cycle is missing: {programmes}"

    evidence = spring.replace("/dashboard", "/evidence")
    H.open_path(driver, base, evidence)
    titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.standard h2")]
    assert titles == [
        "1. Clarity of purpose", "2. Stakeholder training and briefing", "3. Selection and matching",
        "4. Measurement and review", "5. Ethics", "6. Administration and support",
    ], titles
    status, headers, _ = H.browser_fetch(driver, f"{evidence}.zip", timeout)
    assert status == 200 and headers.get("content-type") == "application/zip", (status, headers)
    shoot(driver, "evidence")
