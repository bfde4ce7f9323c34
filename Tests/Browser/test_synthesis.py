"""The trends page of the back-office (/admin/synthese): reached from the staff menu, read
without script, a period chosen with the form, a bad date sent back next to its field; axe
clean in each state."""

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, main_text, open_page, sign_in, staff_email, submit
from test_accessibility import check


def test_an_analyst_reads_the_trends_and_a_bad_date_is_tied_to_its_field(browser):
    sign_in(browser, staff_email("analyst"), password=STAFF_PASSWORD, expected_path="/admin")
    browser.find_element(By.LINK_TEXT, "Tendances des textes").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tendances des textes"
    text = main_text(browser)
    # the petitions published by the tests before, or the plain statement that there are none
    assert "Pétitions publiées du" in text
    assert "Mots-clés" in text or "Aucun texte publié sur cette période" in text
    check(browser)

    # the form is sent as it is (GET, no script): the same page answers
    submit(browser)
    assert "Pétitions publiées du" in main_text(browser)
    check(browser)

    # a day that does not exist: the summary links to the field, which says what to type
    open_page(browser, "/admin/synthese?source=petitions&du=2026-02-31&au=2026-03-01")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "AAAA-MM-JJ" in summary.text
    assert browser.find_element(By.ID, "du").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "du-error").is_displayed()
    check(browser)

