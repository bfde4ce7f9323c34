"""Contributions gathered in person, with the keyboard alone: staff enter one from the form
(a missing place comes back next to its field, nothing lost), paste a CSV file whose bad line
is named by line and column (nothing stored), preview the corrected file and store it, record
supports counted on paper; everyone reads « recueillie lors de … » and the paper supports apart.
Every page axe clean."""

import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, main_text, open_page, sign_in, sign_out, staff_email
from test_accessibility import check
from test_consultations import create_consultation
from test_surveys import press, type_into


def test_staff_enter_contributions_gathered_in_person_and_everyone_reads_their_origin(browser):
    path = create_consultation(browser, f"Vie associative {uuid.uuid4().hex[:6]}")
    consultation_id = path.rsplit("/", 1)[1]
    proposal = f"Des locaux partagés {uuid.uuid4().hex[:6]}"
    told = f"Trésorière depuis dix ans {uuid.uuid4().hex[:6]}"

    sign_in(browser, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, f"/admin/consultations/{consultation_id}/recueil")
    check(browser)

    # One from the form, the place forgotten first.
    browser.find_element(By.ID, "type-proposal").send_keys(" ")
    browser.find_element(By.ID, "thematique").send_keys("Emploi associatif")
    type_into(browser, "titre", proposal)
    type_into(browser, "texte", "Ouvrir les salles municipales aux associations le soir.")
    type_into(browser, "pourquoi", "Beaucoup n'ont aucun local pour se réunir.")
    browser.execute_script("document.getElementById('date').value = '2026-01-01'")
    type_into(browser, "rencontre", "Atelier de Laon")
    browser.find_element(By.ID, "canal").send_keys("Atelier")
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Enregistrer et publier la contribution']"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Indiquez le lieu de la rencontre." in main_text(browser)
    assert browser.find_element(By.ID, "titre").get_attribute("value") == proposal
    check(browser)
    type_into(browser, "lieu", "Laon")
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Enregistrer et publier la contribution']"))
    assert "La contribution recueillie est enregistrée et publiée." in main_text(browser)
    check(browser)

    # A file with a bad line: named, nothing stored; corrected, previewed, stored.
    header = "type;thématique;titre;texte;lieu;date;rencontre;canal"
    good = f"témoignage;Emploi associatif;{told};Chaque année les mêmes pièces à fournir.;Hirson;01/01/2026;Forum des associations;formulaire papier"
    bad = "témoignage;Culture;Un autre titre;Un texte assez long pour passer.;Hirson;01/01/2026;Forum des associations;atelier"
    type_into(browser, "csv", "\n".join([header, good, bad]))
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=previsualiser]"))
    assert "Ligne 3, colonne « thématique » : thématique inconnue." in main_text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "button[name=action][value=enregistrer]")
    check(browser)
    type_into(browser, "csv", "\n".join([header, good]))
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=previsualiser]"))
    assert "Ce qui sera enregistré : 1 contribution" in main_text(browser)
    check(browser)
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[name=action][value=enregistrer]"))
    assert "Toutes les contributions du fichier sont enregistrées et publiées." in main_text(browser)

    # Supports counted on paper.
    browser.find_element(By.ID, "soutiens-proposition").send_keys(proposal)
    type_into(browser, "soutiens-nombre", "7")
    browser.execute_script("document.getElementById('soutiens-date').value = '2026-01-01'")
    type_into(browser, "soutiens-lieu", "Marché de Laon")
    press(browser, browser.find_element(By.XPATH, "//button[normalize-space(.)='Ajouter les soutiens']"))
    assert "Les soutiens sur papier sont enregistrés" in main_text(browser)
    check(browser)
    sign_out(browser)

    open_page(browser, path)
    text = main_text(browser)
    assert "Recueillie lors de « Atelier de Laon » (atelier), Laon, le 1er janvier 2026" in text
    assert "Recueillie lors de « Forum des associations » (formulaire papier), Hirson, le 1er janvier 2026" in text
    assert "7 soutiens, dont 7 sur papier" in text
    check(browser)
