"""A forum's short statements in the browser, keyboard only and axe clean, on a 360-px-wide
phone: a citizen proposes a statement (an over-long one comes back with its French error),
moderation (after publication) lets it through, and the citizen answers it with a plain form."""

import uuid

from selenium.webdriver.common.by import By

from conftest import confirm_address, main_text, open_page, register, unique_email
from test_accessibility import check
from test_forums import fits, open_forum, wait_shown
from test_surveys import press, type_into


def test_a_citizen_proposes_and_answers_statements_on_a_phone(browser):
    title = f"Se déplacer demain {uuid.uuid4().hex[:6]}"
    forum = open_forum(browser, title)

    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    camille = unique_email("camille")
    register(browser, camille, display_name="Camille")
    confirm_address(browser, camille)
    open_page(browser, forum)
    # Below 15 participants, the page says the map will come.
    assert "La carte des opinions s'affichera" in main_text(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Répondre aux affirmations"))
    assert "Aucune affirmation ne vous attend" in main_text(browser)
    assert fits(browser)
    check(browser)

    # Over 140 characters: the form comes back with the error next to the field, the text kept.
    too_long = "Le train " * 16
    type_into(browser, "affirmation", too_long)
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Une affirmation compte au plus 140 caractères" in main_text(browser)
    assert browser.find_element(By.ID, "affirmation").get_attribute("value").strip() == too_long.strip()
    check(browser)
    type_into(browser, "affirmation", "Il faut plus de trains le soir")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "Votre affirmation est envoyée à la modération" in main_text(browser)
    check(browser)

    # Moderation lets it through; Camille answers it, and nothing is left to answer.
    wait_shown(browser, forum + "/affirmations", "Êtes-vous d'accord avec cette affirmation ?")
    assert "Il faut plus de trains le soir" in main_text(browser)
    assert fits(browser)
    check(browser)
    press(browser, browser.find_element(By.CSS_SELECTOR, "form.statement-vote button[value='d-accord']"))
    text = main_text(browser)
    assert "Votre réponse est enregistrée." in text
    assert "Aucune affirmation ne vous attend : vous avez répondu à 1 affirmation(s)." in text
    assert fits(browser)
    check(browser)
