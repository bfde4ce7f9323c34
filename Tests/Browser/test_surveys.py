"""Surveys in the browser: staff build and publish one with the keyboard alone, every page
axe clean; a citizen answers it on a 360-px-wide phone, conditional questions included."""

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import (STAFF_PASSWORD, confirm_address, link_in, main_text, open_page, register, sign_in, staff_email,
                      unique_email, wait_for, wait_for_mail)
from test_accessibility import check


def press(driver, element, key=Keys.ENTER):
    """Activates a control from the keyboard and waits for the page that answers."""
    driver.execute_script("window.__dialogueSubmittedFrom = true")
    element.send_keys(key)
    wait_for(driver, lambda d: d.execute_script(
        "return window.__dialogueSubmittedFrom === undefined && document.readyState === 'complete'"))


def type_into(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def type_date(driver, field_id, day, time):
    """A datetime-local field, typed segment by segment (the 1st of January reads the same
    day-first or month-first); a 12-hour clock, as headless Chromium's en-US has, wants AM."""
    element = driver.find_element(By.ID, field_id)
    element.send_keys(day.replace("/", ""))
    element.send_keys(Keys.ARROW_RIGHT)
    element.send_keys(time.replace(":", ""))
    if not element.get_attribute("value"):
        element.send_keys("AM")
    year = day.split("/")[2]
    assert element.get_attribute("value") == f"{year}-01-01T{time}", element.get_attribute("value")


def button(driver, value):
    return driver.find_element(By.CSS_SELECTOR, f"button[name=action][value='{value}']")


def build_and_publish(driver, title, results=None):
    """Staff build a two-question survey, the second shown on « non », and publish it; returns its path.
    `results` chooses when results become public (`during`, `after_closing`, `never`)."""
    sign_in(driver, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(driver, "/admin/enquetes")
    check(driver)
    press(driver, driver.find_element(By.LINK_TEXT, "Nouvelle enquête"))
    check(driver)
    type_into(driver, "titre", title)
    type_into(driver, "usage", "Vos réponses guideront le plan régional des mobilités.")
    type_into(driver, "introduction",
              "Il convient de préciser que les modalités de mise en œuvre du dispositif régional seront arrêtées "
              "par l'assemblée après une large concertation des usagers concernés. Merci de votre aide.")
    type_date(driver, "ouverture", "01/01/2026", "09:00")
    type_date(driver, "cloture", "01/01/2099", "09:00")
    type_into(driver, "s0-id", "trajets")
    type_into(driver, "s0-q0-intitule", "Prenez-vous le train ?")
    type_into(driver, "s0-q0-options", "oui = Oui\nnon = Non")
    driver.find_element(By.ID, "s0-q0-obligatoire").send_keys(Keys.SPACE)
    # A second question, typed without leaving the keyboard: choose its type, press the button.
    Select(driver.find_element(By.ID, "s0-nouveau-type")).select_by_value("short_text")
    press(driver, button(driver, "ajouter-question:0"))
    assert driver.find_element(By.ID, "titre").get_attribute("value") == title
    type_into(driver, "s0-q1-intitule", "Pourquoi pas ?")
    type_into(driver, "s0-q1-condition", "train = peut-etre")
    type_into(driver, "s0-q0-id", "train")
    type_into(driver, "s0-q1-id", "pourquoi")
    if results:
        driver.find_element(By.ID, f"resultats-{results}").send_keys(Keys.SPACE)
    # A wrong condition first: it comes back next to its field, everything kept.
    press(driver, button(driver, "enregistrer"))
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(driver)
    assert driver.find_element(By.ID, "s0-q1-intitule").get_attribute("value") == "Pourquoi pas ?"
    type_into(driver, "s0-q1-condition", "train = non")
    press(driver, button(driver, "enregistrer"))
    assert "L'enquête est enregistrée." in main_text(driver)
    # The plain-language hint underlines the long sentence of the introduction.
    assert driver.find_elements(By.CSS_SELECTOR, "#introduction-lisibilite mark.long-sentence")
    check(driver)
    path = driver.current_url.split("?")[0].split("#")[0].split("/admin/enquetes/")[1]
    open_page(driver, f"/admin/enquetes/{path}/apercu")
    assert "Pourquoi pas ?" in main_text(driver)
    check(driver)
    open_page(driver, f"/admin/enquetes/{path}")
    press(driver, driver.find_element(By.CSS_SELECTOR, f"form[action='/admin/enquetes/{path}/publier'] button"))
    assert "L'enquête est publiée" in main_text(driver)
    return path


def test_staff_build_and_publish_a_survey_with_the_keyboard(browser):
    title = f"Vos trajets {uuid.uuid4().hex[:6]}"
    path = build_and_publish(browser, title)
    assert "Publiée" in main_text(browser)
    # The results page, from the editor's link, and a breakdown chosen with the keyboard.
    press(browser, browser.find_element(By.LINK_TEXT, "Résultats et croisements"))
    assert "Question par question" in main_text(browser)
    check(browser)
    Select(browser.find_element(By.ID, "lignes")).select_by_value("channel")
    Select(browser.find_element(By.ID, "colonnes")).select_by_value("question:train")
    press(browser, browser.find_element(By.CSS_SELECTOR, f"form[action='/admin/enquetes/{path}/resultats'] button"))
    assert "Croisement" in main_text(browser)
    check(browser)
    # Two values of one filter, ticked with the space bar; the sentence above the figures says them.
    for box in ("ageBand-18_24", "ageBand-25_34"):
        browser.find_element(By.ID, box).send_keys(Keys.SPACE)
    Select(browser.find_element(By.ID, "question")).select_by_value("question:train")
    press(browser, browser.find_element(By.CSS_SELECTOR, f"form[action='/admin/enquetes/{path}/resultats'] button"))
    assert "Réponses des personnes de 18 à 24 ans ou de 25 à 34 ans" in main_text(browser)
    assert browser.find_element(By.ID, "ageBand-18_24").is_selected()
    assert browser.find_element(By.ID, "ageBand-25_34").is_selected()
    assert not browser.find_element(By.ID, "ageBand-35_49").is_selected()
    assert "Tous les croisements" in main_text(browser)
    check(browser)
    # The free texts published by moderation, from the results page's link.
    press(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Lire les textes libres"))
    assert "Textes libres de" in main_text(browser)
    check(browser)


def test_a_citizen_answers_on_a_phone(browser):
    title = f"Mobilités {uuid.uuid4().hex[:6]}"
    build_and_publish(browser, title)
    browser.delete_all_cookies()
    address = unique_email()
    register(browser, address)
    confirm_address(browser, address)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})

    def fits():
        return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

    open_page(browser, "/enquetes")
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, title))
    text = main_text(browser)
    assert text.index("À quoi serviront vos réponses") < text.index("Répondre à l'enquête")
    assert fits()
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Répondre à l'enquête"))
    assert "Étape 1 sur 1" in main_text(browser)
    assert fits()
    check(browser)
    # No answer: the required question says so.
    press(browser, button(browser, "suivant"))
    assert browser.find_element(By.ID, "r-train-error").text
    check(browser)
    # « Non » shows the follow-up question on the same page.
    browser.find_element(By.ID, "r-train-non").send_keys(Keys.SPACE)
    press(browser, button(browser, "suivant"))
    type_into(browser, "r-pourquoi", "Trop cher")
    # Changing to « oui » drops that answer, with a notice.
    browser.find_element(By.ID, "r-train-oui").send_keys(Keys.SPACE)
    press(browser, button(browser, "suivant"))
    assert "a été retirée" in main_text(browser)
    assert "Vérifiez vos réponses" in main_text(browser)
    assert fits()
    check(browser)
    Select(browser.find_element(By.ID, "profil-departement")).select_by_value("80")
    press(browser, button(browser, "envoyer"))
    assert "Merci, vos réponses sont envoyées" in main_text(browser)
    check(browser)
    # « Modifier mes réponses » brings them back, once the service has stored them.
    for _ in range(20):
        press(browser, browser.find_element(By.LINK_TEXT, "Modifier mes réponses"))
        if "Vous avez répondu le" in main_text(browser):
            break
        browser.back()
    assert "Vous avez répondu le" in main_text(browser)
    assert browser.find_element(By.ID, "r-train-oui").is_selected()
    assert fits()


def test_someone_without_an_account_answers_by_a_mailed_link_and_reads_the_results_on_a_phone(browser):
    title = f"Déplacements {uuid.uuid4().hex[:6]}"
    path = build_and_publish(browser, title, results="during")
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})

    def fits():
        return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

    # « Répondre sans compte »: a wrong address first comes back next to its field.
    open_page(browser, f"/enquetes/{path}")
    check(browser)
    type_into(browser, "email", "pas-une-adresse")
    press(browser, browser.find_element(By.CSS_SELECTOR, f"form[action='/enquetes/{path}/lien'] button"))
    assert browser.find_element(By.ID, "email-error").text
    assert browser.find_element(By.ID, "email").get_attribute("value") == "pas-une-adresse"
    check(browser)
    address = unique_email("sans-compte")
    type_into(browser, "email", address)
    press(browser, browser.find_element(By.CSS_SELECTOR, f"form[action='/enquetes/{path}/lien'] button"))
    assert "Un courriel vient de partir" in main_text(browser)
    check(browser)
    # The mailed link opens the form for that address, with no account.
    browser.get(link_in(wait_for_mail(address, "Votre lien pour répondre")))
    wait_for(browser, lambda d: "Étape 1 sur 1" in main_text(d))
    assert fits()
    check(browser)
    browser.find_element(By.ID, "r-train-non").send_keys(Keys.SPACE)
    press(browser, button(browser, "suivant"))
    type_into(browser, "r-pourquoi", "Pas de gare dans mon village")
    press(browser, button(browser, "suivant"))
    assert "Vérifiez vos réponses" in main_text(browser)
    press(browser, button(browser, "envoyer"))
    assert "Merci, vos réponses sont envoyées" in main_text(browser)
    check(browser)
    # Results public during the survey: provisional figures, a small count never shown as itself.
    open_page(browser, f"/enquetes/{path}")
    press(browser, browser.find_element(By.LINK_TEXT, "Lire les résultats de l'enquête"))
    for _ in range(20):
        if "< 10 réponses" in main_text(browser):
            break
        browser.refresh()
    text = main_text(browser)
    assert "< 10 réponses" in text
    assert "provisoires" in text
    assert "Question par question" in text
    assert fits()
    check(browser)
