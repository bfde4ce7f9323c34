"""Forums in the browser, keyboard only and axe clean: staff open a forum, a citizen opens a
thread on a 360-px-wide phone, another replies to it and reacts; moderation (after
publication) lets each post through."""

import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import (STAFF_PASSWORD, confirm_address, main_text, open_page, register, sign_in, sign_out, staff_email,
                      unique_email)
from test_accessibility import check
from test_surveys import press, type_into


def type_day(driver, field_id, year):
    """A date field, typed as its digits (the 1st of January reads the same day-first or month-first)."""
    driver.find_element(By.ID, field_id).send_keys(f"0101{year}")
    assert driver.find_element(By.ID, field_id).get_attribute("value") == f"{year}-01-01"


def fits(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def open_forum(driver, title):
    """Staff open a forum moderated after publication; returns its path."""
    sign_in(driver, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")
    open_page(driver, "/admin/forums")
    check(driver)
    press(driver, driver.find_element(By.LINK_TEXT, "Ouvrir un forum"))
    check(driver)
    type_into(driver, "titre", title)
    type_into(driver, "theme", "Mobilités du quotidien")
    type_into(driver, "question", "Comment vous déplacerez-vous en 2035 ?")
    type_day(driver, "ouverture", "2026")
    type_day(driver, "cloture", "2099")
    # No policy chosen yet: the form comes back with the error next to it.
    driver.find_element(By.ID, "moderation-pre").send_keys(Keys.SPACE)
    driver.find_element(By.ID, "moderation-post").send_keys(Keys.SPACE)
    type_into(driver, "titre", "A")
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "Le titre compte de 3 à 150 caractères." in main_text(driver)
    check(driver)
    type_into(driver, "titre", title)
    press(driver, driver.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "Le forum est ouvert" in main_text(driver)
    check(driver)
    path = driver.find_element(By.LINK_TEXT, title).get_attribute("href").split("/forums/")[1]
    sign_out(driver)
    return "/forums/" + path


def wait_shown(driver, path, text, attempts=40):
    """Moderation lets a post through in a moment: reload until it is shown."""
    for _ in range(attempts):
        open_page(driver, path)
        if text in main_text(driver):
            return
        time.sleep(0.5)
    assert text in main_text(driver)


def test_staff_open_a_forum_citizens_discuss_on_a_phone(browser):
    title = f"Se déplacer demain {uuid.uuid4().hex[:6]}"
    forum = open_forum(browser, title)

    # A citizen, on a phone, opens a thread.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    camille = unique_email("camille")
    register(browser, camille, display_name="Camille")
    confirm_address(browser, camille)
    open_page(browser, "/forums")
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, title))
    assert "Comment vous déplacerez-vous en 2035 ?" in main_text(browser)
    assert fits(browser)
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Ouvrir un fil de discussion"))
    check(browser)
    type_into(browser, "titre", "Le train avant tout")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    # An empty message comes back with its French error, the title kept.
    assert "Écrivez votre message." in main_text(browser)
    assert browser.find_element(By.ID, "titre").get_attribute("value") == "Le train avant tout"
    check(browser)
    type_into(browser, "texte", "Il faut plus de trains le soir.")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "envoyé à la modération" in main_text(browser)
    wait_shown(browser, forum, "Le train avant tout")
    assert fits(browser)
    sign_out(browser)

    # Another citizen replies to the opening post.
    dominique = unique_email("dominique")
    register(browser, dominique, display_name="Dominique")
    confirm_address(browser, dominique)
    open_page(browser, forum)
    press(browser, browser.find_element(By.LINK_TEXT, "Le train avant tout"))
    assert "Il faut plus de trains le soir." in main_text(browser)
    assert fits(browser)
    check(browser)
    press(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Répondre"))
    assert "Le message auquel vous répondez" in main_text(browser)
    check(browser)
    type_into(browser, "texte", "D'accord, et le dimanche aussi.")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "Votre message est envoyé à la modération" in main_text(browser)
    assert "#message-" in browser.current_url
    assert fits(browser)
    check(browser)
    thread = "/forums/" + browser.current_url.split("/forums/", 1)[1].split("?")[0].split("#")[0]
    wait_shown(browser, thread, "D'accord, et le dimanche aussi.")
    assert "en attente de modération" not in main_text(browser)
    check(browser)
    # Dominique agrees with the opening post, then changes their mind: one reaction, changed.
    press(browser, browser.find_element(By.CSS_SELECTOR, "form.reactions button[value='d-accord']"))
    assert "#message-" in browser.current_url
    assert "D'accord (1)" in main_text(browser)
    press(browser, browser.find_element(By.CSS_SELECTOR, "form.reactions button[value='pas-d-accord']"))
    text = main_text(browser)
    assert "D'accord (0)" in text and "Pas d'accord (1)" in text
    assert fits(browser)
    check(browser)
