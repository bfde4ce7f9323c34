"""A process's follow-up indicators in the browser, keyboard only and axe clean: from the
process page to its public indicators (tables with captions, the small-number notice, the CSV
link), and staff's exact view from the back-office list."""

import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, main_text, open_page, sign_in, sign_out, staff_email
from test_accessibility import check
from test_forums import type_day
from test_surveys import press, type_into


def test_the_indicators_of_a_process_read_by_keyboard_for_the_public_and_staff(browser):
    suffix = uuid.uuid4().hex[:6]
    title = f"Ateliers citoyens des indicateurs {suffix}"
    sign_in(browser, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, "/admin/processus/nouveau")
    type_day(browser, "modele-debut", "2026")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=modele]"))
    type_into(browser, "titre", title)
    type_into(browser, "politique", "Politique régionale de la vie associative")
    type_into(browser, "objet", "Suivre la participation aux ateliers citoyens.")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=enregistrer]"))
    assert "La démarche est enregistrée" in main_text(browser)
    process_id = browser.find_element(By.LINK_TEXT, title).get_attribute("href").rsplit("/", 1)[1]

    # Staff: exact figures, from the list of processes.
    press(browser, browser.find_element(By.CSS_SELECTOR, f"a[href='/admin/processus/{process_id}/indicateurs']"))
    text = main_text(browser)
    assert f"Indicateurs de suivi – {title}" in text
    assert "Chiffres exacts, réservés à l'équipe" in text
    check(browser)
    sign_out(browser)

    # Anyone: from the process page, by keyboard.
    open_page(browser, f"/processus/{process_id}")
    press(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Les indicateurs de suivi"))
    assert browser.current_url.endswith(f"/processus/{process_id}/indicateurs")
    text = main_text(browser)
    assert "Protection des petits effectifs" in text
    assert "Participants par étape" in text and "Toute la démarche (chaque personne une fois)" in text
    assert "Aucun atelier de la démarche n'est encore terminé." in text
    assert "n'a donné sa tranche d'âge" in text
    captions = [caption.text for caption in browser.find_elements(By.TAG_NAME, "caption")]
    assert "Participants par département de résidence" in captions
    assert browser.find_element(By.PARTIAL_LINK_TEXT, "Télécharger ces indicateurs (CSV)").get_attribute("href").endswith(
        f"/processus/{process_id}/indicateurs.csv"
    )
    check(browser)
