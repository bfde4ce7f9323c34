"""Participatory processes in the browser, keyboard only and axe clean: staff fill a process's
phases from seed 001's model, a refused title comes back next to its field, and the public
timeline lists the seven steps."""

import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, main_text, open_page, sign_in, sign_out, staff_email
from test_accessibility import check
from test_forums import type_day
from test_surveys import press, type_into


def test_staff_write_a_process_from_the_model_and_everyone_reads_its_timeline(browser):
    title = f"Ateliers citoyens de la jeunesse {uuid.uuid4().hex[:6]}"
    sign_in(browser, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, "/admin/processus")
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Nouvelle démarche"))
    check(browser)

    # The model fills the seven steps, one after the other.
    type_day(browser, "modele-debut", "2026")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=modele]"))
    assert browser.find_element(By.ID, "etape-7-debut").get_attribute("value") != ""
    check(browser)

    # A title too short comes back next to its field, the phases kept.
    type_into(browser, "titre", "A")
    type_into(browser, "politique", "Politique départementale de la jeunesse")
    type_into(browser, "objet", "Associer les habitants du Nord à la politique jeunesse du Département.")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=enregistrer]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Le titre compte de 3 à 150 caractères." in main_text(browser)
    assert browser.find_element(By.ID, "etape-7-type").get_attribute("value") == "public_restitution"
    check(browser)
    type_into(browser, "titre", title)
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=enregistrer]"))
    assert "La démarche est enregistrée" in main_text(browser)
    check(browser)
    path = "/processus/" + browser.find_element(By.LINK_TEXT, title).get_attribute("href").split("/processus/")[1]
    sign_out(browser)

    # Anyone reads the timeline.
    open_page(browser, "/processus")
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, title))
    text = main_text(browser)
    for step in ["Appel à contributions", "Forum de lancement", "Ateliers", "Forum de synthèse", "Rapport d'orientation", "Adoption",
                 "Restitution publique"]:
        assert step in text
    assert "Connectez-vous pour suivre la démarche" in text
    check(browser)
    assert browser.current_url.endswith(path)
