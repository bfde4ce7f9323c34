"""The synthesis pages in the browser: a consultation's published contributions appear in the
groups page and the report, chosen from the list with the keyboard; every page axe clean."""

import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import STAFF_PASSWORD, confirm_address, main_text, open_page, register, sign_in, sign_out, staff_email, unique_email
from test_accessibility import check
from test_consultations import create_consultation
from test_surveys import press, type_into

PROPOSALS = [
    ("Des bus le soir", "Il faut plus de bus entre les villages le soir.", "Les jeunes ne peuvent pas rentrer."),
    ("Des trains à l'heure", "Le train régional arrive souvent en retard.", "Les salariés perdent leur emploi."),
]


def propose(driver, path, title, text, reasons):
    open_page(driver, path)
    press(driver, driver.find_element(By.LINK_TEXT, "Faire une proposition"))
    driver.find_element(By.ID, "theme-emploi-associatif").send_keys(" ")
    type_into(driver, "title", title)
    type_into(driver, "text", text)
    type_into(driver, "reasons", reasons)
    send = "//button[normalize-space(.)='Envoyer ma contribution']"
    press(driver, driver.find_element(By.XPATH, send))
    if "Merci ! Votre contribution est reçue" not in main_text(driver):
        # The first send shows similar contributions when there are some; the next one goes through.
        assert "Soutenir plutôt celle-ci" in main_text(driver)
        press(driver, driver.find_element(By.XPATH, send))
    assert "Merci ! Votre contribution est reçue" in main_text(driver)


def choose(driver, page, value):
    """Opens `page`, waits until the reporter offers `value`, and asks for it with the keyboard."""
    for _ in range(60):
        open_page(driver, page)
        if driver.find_elements(By.CSS_SELECTOR, f"option[value='{value}']"):
            break
        time.sleep(0.5)
    check(driver)
    Select(driver.find_element(By.ID, "perimetre")).select_by_value(value)
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))


def test_staff_read_the_groups_and_the_report_of_a_consultation(browser):
    path = create_consultation(browser, f"Mobilités {uuid.uuid4().hex[:6]}")
    consultation_id = path.rstrip("/").split("/")[-1]
    author = unique_email("autrice")
    register(browser, author, display_name="Claire")
    confirm_address(browser, author)
    for proposal in PROPOSALS:
        propose(browser, path, *proposal)
    sign_out(browser)

    sign_in(browser, staff_email("analyst"), STAFF_PASSWORD, expected_path="/admin")
    value = f"contributions:{consultation_id}"
    # Moderated after publication: the texts count in a moment.
    for _ in range(60):
        choose(browser, "/admin/synthese/groupes", value)
        if "2 textes publiés" in main_text(browser):
            break
        time.sleep(0.5)
    assert "2 textes publiés" in main_text(browser)
    assert browser.find_elements(By.PARTIAL_LINK_TEXT, "Des bus le soir")
    check(browser)

    choose(browser, "/admin/synthese/rapport", value)
    assert "2 textes reçus, dont 2 publiés." in main_text(browser)
    assert browser.find_element(By.LINK_TEXT, "CSV (tableur)").get_attribute("href").endswith(f"rapport.csv?perimetre={value}")
    check(browser)

    # a bad choice comes back next to its field
    open_page(browser, "/admin/synthese/rapport?perimetre=tracts")
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(browser)
