"""Consultations in the browser: staff write one with the keyboard alone (a missing « use »
comes back next to its field, everything kept); a citizen contributes a proposal and another
supports it, then withdraws the support; every page axe clean."""

import time
import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, confirm_address, main_text, open_page, register, sign_in, sign_out, staff_email, unique_email
from test_accessibility import check
from test_surveys import press, type_date, type_into


def create_consultation(driver, title):
    """Staff write an open consultation moderated after publication; returns its public path."""
    sign_in(driver, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(driver, "/admin/consultations")
    check(driver)
    press(driver, driver.find_element(By.LINK_TEXT, "Nouvelle consultation"))
    check(driver)
    type_into(driver, "title", title)
    type_into(driver, "question", "Qu'est-ce qui aiderait votre association au quotidien ?")
    type_into(driver, "context",
              "Il convient de préciser que les modalités de mise en œuvre du dispositif régional seront arrêtées "
              "par l'assemblée après une large concertation des associations concernées. Merci de votre aide.")
    type_into(driver, "themes", "Simplification administrative\nEngagement bénévole et volontaire\nEmploi associatif")
    type_date(driver, "opens_at", "01/01/2026", "09:00")
    type_date(driver, "closes_at", "01/01/2099", "09:00")
    type_date(driver, "extended_until", "01/01/2100", "09:00")
    driver.find_element(By.ID, "moderation-after_publication").send_keys(" ")
    # « Use » left empty: refused next to its field, nothing lost.
    press(driver, driver.find_element(By.CSS_SELECTOR, "button[name=action][value=enregistrer]"))
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Dites à quoi serviront les contributions" in main_text(driver)
    assert driver.find_element(By.ID, "title").get_attribute("value") == title
    check(driver)
    type_into(driver, "use", "Les propositions retenues nourriront l'avis du CESER sur la vie associative.")
    press(driver, driver.find_element(By.CSS_SELECTOR, "button[name=action][value=enregistrer]"))
    assert "La consultation est enregistrée." in main_text(driver)
    # The plain-language hint underlines the long sentence of the context.
    assert driver.find_elements(By.CSS_SELECTOR, "#context-lisibilite mark.long-sentence")
    check(driver)
    public = driver.find_element(By.LINK_TEXT, "voir la page publique").get_attribute("href")
    sign_out(driver)
    return "/" + public.split("/", 3)[3]


def test_staff_write_a_consultation_a_citizen_proposes_and_another_supports(browser):
    title = f"Vie associative {uuid.uuid4().hex[:6]}"
    path = create_consultation(browser, title)

    author = unique_email("autrice")
    register(browser, author, display_name="Claire")
    confirm_address(browser, author)
    open_page(browser, "/consultations")
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, title))
    text = main_text(browser)
    assert text.index("À quoi serviront les contributions") < text.index("Contribuer")
    assert "Prolongée jusqu'au" in text
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Faire une proposition"))
    check(browser)
    browser.find_element(By.ID, "theme-emploi-associatif").send_keys(" ")
    type_into(browser, "title", "Un guichet unique pour les subventions")
    type_into(browser, "text", "Un seul dossier pour toutes les aides régionales aux associations.")
    # « Pourquoi » missing: said next to its field.
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "Expliquez pourquoi vous le proposez." in main_text(browser)
    check(browser)
    type_into(browser, "reasons", "Les bénévoles passent leurs soirées à remplir des formulaires différents.")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "Merci ! Votre contribution est reçue" in main_text(browser)
    assert "Mes contributions" in main_text(browser)
    check(browser)
    sign_out(browser)

    supporter = unique_email("soutien")
    register(browser, supporter, display_name="Karim")
    confirm_address(browser, supporter)
    # Moderated after publication: shown in a moment, without a moderator.
    for _ in range(40):
        open_page(browser, path)
        if browser.find_elements(By.XPATH, "//button[starts-with(normalize-space(.), 'Soutenir')]"):
            break
        time.sleep(0.5)
    support = browser.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Soutenir')]")
    check(browser)
    press(browser, support)
    assert "Votre soutien est enregistré." in main_text(browser)
    assert "1 soutien" in main_text(browser)
    check(browser)
    press(browser, browser.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Retirer mon soutien')]"))
    assert "Votre soutien est retiré." in main_text(browser)
    assert "0 soutiens" in main_text(browser)
    check(browser)
