"""Accountability and comments in the browser, with the keyboard alone: staff answer a
proposal (« non retenue » without its reason comes back next to the field, the selection
kept), everyone reads the answer on the contribution's page and the consultation's balance
sheet; a citizen comments on the contribution (an empty comment comes back next to its
field). Every page axe clean."""

import time
import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, confirm_address, main_text, open_page, register, sign_in, sign_out, staff_email, unique_email
from test_accessibility import check
from test_consultations import create_consultation
from test_surveys import press, type_into


def propose(driver, path, title,
            text="Une même personne à la Région suit le dossier d'un club, de la demande jusqu'au versement.",
            reasons="Les trésoriers ne savent jamais à qui demander où en est leur dossier."):
    """A new citizen proposes on the consultation at `path`; returns its contribution page's path once shown."""
    author = unique_email("autrice")
    register(driver, author, display_name="Claire")
    confirm_address(driver, author)
    open_page(driver, path)
    press(driver, driver.find_element(By.LINK_TEXT, "Faire une proposition"))
    driver.find_element(By.ID, "theme-emploi-associatif").send_keys(" ")
    type_into(driver, "title", title)
    # A text of its own: one close to another test's proposal would rightly be held as a near-duplicate.
    type_into(driver, "text", text)
    type_into(driver, "reasons", reasons)
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "Merci ! Votre contribution est reçue" in main_text(driver)
    sign_out(driver)
    # Moderated after publication: shown in a moment, without a moderator.
    for _ in range(40):
        open_page(driver, path)
        links = driver.find_elements(By.LINK_TEXT, title)
        if links:
            return "/" + links[0].get_attribute("href").split("/", 3)[3]
        time.sleep(0.5)
    raise AssertionError("the proposal was never shown")


def test_staff_answer_a_proposal_and_everyone_reads_the_balance_sheet_and_comments(browser):
    title = f"Vie associative {uuid.uuid4().hex[:6]}"
    path = create_consultation(browser, title)
    proposal = f"Un guichet unique {uuid.uuid4().hex[:6]}"
    contribution = propose(browser, path, proposal)
    consultation_id = path.rsplit("/", 1)[1]

    sign_in(browser, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, f"/admin/consultations/{consultation_id}/contributions")
    check(browser)
    browser.find_element(By.XPATH, f"//label[contains(., '{proposal}')]/preceding-sibling::input").send_keys(" ")
    browser.find_element(By.ID, "status-not_retained").send_keys(" ")
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Enregistrer la suite donnée']"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Dites pourquoi la contribution n'est pas retenue" in main_text(browser)
    assert browser.find_element(By.XPATH, f"//label[contains(., '{proposal}')]/preceding-sibling::input").is_selected()
    check(browser)
    type_into(browser, "reason", "Cela relève de l'État, pas de la Région.")
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Enregistrer la suite donnée']"))
    assert "La suite donnée est enregistrée" in main_text(browser)
    check(browser)
    sign_out(browser)

    open_page(browser, contribution)
    assert "Non retenue" in main_text(browser)
    assert "Cela relève de l'État, pas de la Région." in main_text(browser)
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Le bilan de la consultation"))
    text = main_text(browser)
    assert "1 contribution recueillie, 0 retenue, 1 a reçu une réponse." in text
    check(browser)

    reader = unique_email("lectrice")
    register(browser, reader, display_name="Louise")
    confirm_address(browser, reader)
    open_page(browser, contribution)
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Publier mon commentaire']"))
    assert "Écrivez votre commentaire." in main_text(browser)
    check(browser)
    type_into(browser, "body", "Et pour les petites associations rurales ?")
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Publier mon commentaire']"))
    assert "Merci ! Votre commentaire est reçu" in main_text(browser)
    assert "Et pour les petites associations rurales ?" in main_text(browser)
    check(browser)
