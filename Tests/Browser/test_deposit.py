"""A citizen deposits a petition in the browser: the form and its errors, the preview with a
similar published petition to sign instead, "Modifier" back to the filled form, the deposit,
the confirmation and "Mes pétitions". Every new page is checked with axe-core."""

import random
import string

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (BASE_URL, PASSWORD, STAFF_PASSWORD, confirm_address, fill, main_text, open_page, register, sign_in, sign_out,
                      staff_email, submit, unique_email, wait_for, wait_for_path)
from test_accessibility import check
from test_moderation import api, api_token, open_item, wait_for_petition


def click_and_wait(driver, selector):
    """Clicks one given button of a form and waits for the page that answers (as conftest.submit)."""
    driver.execute_script("window.__dialogueSubmittedFrom = true")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    wait_for(driver, lambda d: d.execute_script(
        "return window.__dialogueSubmittedFrom === undefined && document.readyState === 'complete'"))


def rare_word():
    """A word no other test uses, letters only, so the French search stems it as a word."""
    return "".join(random.choice("bcdfghjklmnpqrstvz") + random.choice("aeiou") for _ in range(5))


def published_petition(browser, title, word):
    """A petition deposited through the API and published by a moderator. Its text is its
    own: moderation holds back near-duplicates of earlier deposits (those of other tests)."""
    token = api_token(browser)
    status, petition = api("POST", "/api/v1/petitions", token, {
        "title": title,
        "text": f"Nous demandons que les TER desservent {word} toutes les demi-heures en semaine.",
        "reasons": f"Les habitants de {word} n'ont aucune autre solution pour aller travailler.",
    })
    assert status == 201, petition
    petition_id = petition["id"].lower()
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    open_item(browser, title)
    browser.find_element(By.ID, "decision-published").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["status"] == "open" and p["visible"]), timeout=20)
    sign_out(browser)
    return petition_id


def test_a_citizen_previews_edits_and_deposits_a_petition(browser):
    word = rare_word()
    existing_title = f"Des TER vers {word} plus fréquents"
    existing_id = published_petition(browser, existing_title, word)

    address = unique_email()
    register(browser, address, display_name="Jeanne Dubois")
    confirm_address(browser, address)

    # From the list of petitions to the form.
    open_page(browser, "/petitions")
    browser.find_element(By.LINK_TEXT, "Déposer une pétition").click()
    wait_for_path(browser, "/petitions/nouvelle")
    check(browser)

    # An empty form comes back with its errors, tied to their fields.
    submit(browser)
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "Indiquez le titre de la pétition." in summary.text
    assert "Expliquez pourquoi vous faites cette demande." in summary.text
    assert browser.find_element(By.ID, "reasons").get_attribute("aria-invalid") == "true"
    check(browser)

    # The preview shows the petition as it will look, and the similar one to sign instead.
    title = f"Plus de trains vers {word}"
    fill(browser, "title", title)
    fill(browser, "text", "Nous demandons des trains plus fréquents le soir.")
    fill(browser, "reasons", "Les derniers trains partent trop tôt.\nLes salariés rentrent en voiture.")
    Select(browser.find_element(By.ID, "theme")).select_by_visible_text("Transports et mobilités")
    submit(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    text = main_text(browser)
    assert "Pourquoi" in text
    assert "Les salariés rentrent en voiture." in text
    assert "Transports et mobilités" in text
    assert "Jeanne Dubois" in text
    similar = browser.find_element(By.PARTIAL_LINK_TEXT, "Signer plutôt celle-ci")
    assert similar.get_attribute("href") == f"{BASE_URL}/petitions/{existing_id}"
    check(browser)

    # "Modifier" goes back to the filled form.
    click_and_wait(browser, "main form button[value=modifier]")
    assert browser.find_element(By.ID, "title").get_attribute("value") == title
    assert "Les salariés rentrent en voiture." in browser.find_element(By.ID, "reasons").get_attribute("value")
    assert Select(browser.find_element(By.ID, "theme")).first_selected_option.text == "Transports et mobilités"
    submit(browser)

    # Deposit: a confirmation, then "Mes pétitions" shows it in moderation.
    click_and_wait(browser, "main form button[value=deposer]")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Pétition déposée"
    assert "en cours de modération" in main_text(browser)
    check(browser)
    browser.find_element(By.LINK_TEXT, "Suivre mes pétitions").click()
    wait_for_path(browser, "/compte/petitions")
    assert title in main_text(browser)
    assert "En cours de modération" in main_text(browser)
    check(browser)
    # Not public before moderation.
    mine = browser.find_element(By.CSS_SELECTOR, ".petition-card h2")
    assert not mine.find_elements(By.TAG_NAME, "a")


def test_an_unconfirmed_account_is_asked_to_confirm_first(browser):
    register(browser, unique_email())
    open_page(browser, "/petitions/nouvelle")
    assert "confirmez d'abord votre adresse électronique" in main_text(browser)
    assert not browser.find_elements(By.ID, "reasons")
    check(browser)


def test_a_visitor_is_sent_to_sign_in_and_back(browser):
    address = unique_email()
    register(browser, address)
    confirm_address(browser, address)
    sign_out(browser)
    open_page(browser, "/petitions/nouvelle")
    wait_for_path(browser, "/connexion")
    fill(browser, "email", address)
    fill(browser, "password", PASSWORD)
    submit(browser)
    wait_for_path(browser, "/petitions/nouvelle")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Déposer une pétition"
