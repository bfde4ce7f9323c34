"""The orientation report in the browser, keyboard only and axe clean: staff write a process
holding a consultation, a recommendation citing one of its proposals, publish it, record the
council's decision (its reason asked for next to its field) and a milestone; anyone then goes
from the contribution to the recommendation and back."""

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import STAFF_PASSWORD, main_text, open_page, sign_in, sign_out, staff_email
from test_accessibility import check
from test_contribution_answers import propose
from test_consultations import create_consultation
from test_forums import type_day
from test_surveys import press, type_into


def submit_button(driver, label):
    return driver.find_element(By.XPATH, f"//button[starts-with(normalize-space(.), '{label}')]")


def test_a_recommendation_links_its_contributions_both_ways_with_its_fate_and_milestones(browser):
    suffix = uuid.uuid4().hex[:6]
    path = create_consultation(browser, f"Vie associative {suffix}")
    consultation_id = path.rsplit("/", 1)[1]
    proposal = f"Un référent unique par club {suffix}"
    # A text of its own, so that moderation never holds it as a near-duplicate of another test's.
    contribution = propose(
        browser, path, proposal,
        text="Chaque bénévole trésorier garde le même interlocuteur régional pendant toute la vie de son association sportive.",
        reasons="Raconter dix fois l'histoire de son club à des services différents décourage les bénévoles.",
    )

    # Staff write a process from the model whose first step holds the consultation.
    title = f"Ateliers citoyens de la vie associative {suffix}"
    sign_in(browser, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, "/admin/processus/nouveau")
    type_day(browser, "modele-debut", "2026")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=modele]"))
    type_into(browser, "titre", title)
    type_into(browser, "politique", "Politique régionale de la vie associative")
    type_into(browser, "objet", "Associer les bénévoles à la politique associative de la Région.")
    type_into(browser, "etape-1-consultation", consultation_id)
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=enregistrer]"))
    assert "La démarche est enregistrée" in main_text(browser)
    process_id = browser.find_element(By.LINK_TEXT, title).get_attribute("href").rsplit("/", 1)[1]

    # A recommendation citing the proposal, saved as a draft, then published.
    open_page(browser, f"/admin/processus/{process_id}/recommandations")
    check(browser)
    type_into(browser, "titre", "Un référent unique pour chaque association")
    type_into(browser, "texte", "La Région désigne un référent unique qui suit chaque dossier de subvention.")
    browser.find_element(By.XPATH, f"//label[contains(., '{proposal}')]/preceding-sibling::input").send_keys(" ")
    press(browser, submit_button(browser, "Enregistrer le brouillon"))
    assert "La recommandation est enregistrée en brouillon" in main_text(browser)
    check(browser)
    press(browser, submit_button(browser, "Publier la recommandation"))
    assert "La recommandation est publiée" in main_text(browser)
    recommendation = browser.find_element(By.CSS_SELECTOR, "a[href^='/recommandations/']").get_attribute("href")
    recommendation_id = recommendation.rsplit("/", 1)[1]
    check(browser)

    # « Modifiée » without saying how comes back next to its field.
    browser.find_element(By.ID, f"decision-{recommendation_id}-sort-modified").send_keys(" ")
    press(browser, submit_button(browser, "Enregistrer la décision"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Dites en quoi la recommandation a été modifiée" in main_text(browser)
    assert browser.find_element(By.ID, f"decision-{recommendation_id}-sort-modified").is_selected()
    check(browser)
    type_into(browser, f"decision-{recommendation_id}-raison", "Un référent par arrondissement plutôt que par association.")
    press(browser, submit_button(browser, "Enregistrer la décision"))
    assert "La décision est enregistrée" in main_text(browser)
    check(browser)

    # A milestone of its implementation.
    type_into(browser, f"jalon-{recommendation_id}-titre", "Référents nommés à Lille et Douai")
    type_day(browser, f"jalon-{recommendation_id}-echeance", "2028")
    type_into(browser, f"jalon-{recommendation_id}-avancement", "40")
    Select(browser.find_element(By.ID, f"jalon-{recommendation_id}-etat")).select_by_value("in_progress")
    press(browser, submit_button(browser, "Ajouter le jalon"))
    assert "Le jalon est enregistré" in main_text(browser)
    check(browser)
    sign_out(browser)

    # Anyone: from the contribution to the recommendation, and back.
    open_page(browser, contribution)
    assert "Reprise dans la recommandation n° 1 du rapport d'orientation" in main_text(browser)
    check(browser)
    press(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Reprise dans la recommandation n° 1"))
    text = main_text(browser)
    assert "Recommandation n° 1 : Un référent unique pour chaque association" in text
    assert "Adoptée avec modifications" in text or "adoptée avec modifications" in text
    assert "Un référent par arrondissement plutôt que par association." in text
    assert "Référents nommés à Lille et Douai" in text and "40 %" in text
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, proposal))
    assert browser.current_url.split("?")[0].endswith(contribution)
    open_page(browser, f"/processus/{process_id}")
    press(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Le rapport d'orientation"))
    assert "Recommandation n° 1 : Un référent unique pour chaque association" in main_text(browser)
    check(browser)
