"""Fixtures shared by the browser tests.

The test command (deploy/local/test) starts the platform and a local SMTP server, then
runs these tests with:
  DIALOGUE_BASE_URL        the gateway, e.g. http://127.0.0.1:58080
  DIALOGUE_MAIL_DIR        the folder where the SMTP server writes each mail as a .eml file
  DIALOGUE_STAFF_PASSWORD  the password of the staff accounts it created, one per role:
                           <role>@browser-tests.example
  DIALOGUE_PERSONAL_DATA_FILE  (optional) where every e-mail address and name the tests type is
                           appended, one a line, so that the test command can check that no
                           service wrote one of them to its log (deploy/local/scan-personal-data)
"""

import email
import email.policy
import os
import pathlib
import re
import time
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ["DIALOGUE_BASE_URL"].rstrip("/")
MAIL_DIR = pathlib.Path(os.environ["DIALOGUE_MAIL_DIR"])
STAFF_PASSWORD = os.environ["DIALOGUE_STAFF_PASSWORD"]
PASSWORD = "une phrase de passe assez longue"


# The form fields whose values are personal data: what a person types there must never
# reach a log.
PERSONAL_FIELDS = {"email", "name", "display_name"}


def remember_personal(value):
    """Notes a value the tests give as personal data, for the scan of the services' logs."""
    path = os.environ.get("DIALOGUE_PERSONAL_DATA_FILE")
    if path and value:
        with open(path, "a", encoding="utf-8") as file:
            file.write(value + "\n")
    return value


def staff_email(role):
    return remember_personal(f"{role}@browser-tests.example")


@pytest.fixture
def browser():
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=fr-FR"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    yield driver
    driver.quit()


def open_page(driver, path):
    driver.get(BASE_URL + path)


def wait_for(driver, condition, timeout=10):
    return WebDriverWait(driver, timeout).until(condition)


def wait_for_path(driver, path, timeout=10):
    wait_for(driver, lambda d: d.current_url.split("?")[0].split("#")[0] == BASE_URL + path, timeout)


def fill(driver, field_id, value):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)
    if field_id in PERSONAL_FIELDS:
        remember_personal(value)


def submit(driver, form_selector="main form.form"):
    """Submits with the form's own button, as a person would, and waits for the answer page.

    A click returns as soon as the event is dispatched; the page that answers the POST may
    still be loading, so the test would read the form it just submitted."""
    # A mark on the current window: a new document starts without it. (Chromium's answer to an
    # element of a replaced page is not always "stale", so staleness_of is not used.)
    driver.execute_script("window.__dialogueSubmittedFrom = true")
    driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]").click()
    wait_for(driver, lambda d: d.execute_script(
        "return window.__dialogueSubmittedFrom === undefined && document.readyState === 'complete'"))


def unique_email(prefix="citoyen"):
    return remember_personal(f"{prefix}-{uuid.uuid4().hex[:10]}@exemple.fr")


def main_text(driver):
    return driver.find_element(By.ID, "contenu").text


def wait_for_mail(recipient, subject_part, timeout=30):
    """The newest mail to `recipient` whose subject contains `subject_part`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(MAIL_DIR.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if recipient.lower() in str(message.get("To", "")).lower() and subject_part in str(message.get("Subject", "")):
                return message
        time.sleep(0.25)
    raise AssertionError(f"no mail '{subject_part}' to {recipient} within {timeout} s in {MAIL_DIR}")


def link_in(message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+jeton=[A-Za-z0-9_-]+", body)
    assert match, f"no link in the mail: {body}"
    return match.group(0)


def register(driver, address, display_name="Camille", postcode="59000", commune="Lille"):
    open_page(driver, "/inscription")
    fill(driver, "email", address)
    fill(driver, "password", PASSWORD)
    fill(driver, "password_confirmation", PASSWORD)
    fill(driver, "display_name", display_name)
    fill(driver, "postcode", postcode)
    fill(driver, "commune", commune)
    driver.find_element(By.ID, "terms").click()
    submit(driver)
    # Registering opens no session (a taken address gets the same answer): sign in as anyone does.
    wait_for_path(driver, "/connexion")
    assert "Un courriel vient d'être envoyé à l'adresse indiquée" in main_text(driver)
    sign_in(driver, address, expected_path="/compte")


def confirm_address(driver, address):
    driver.get(link_in(wait_for_mail(address, "Confirmez")))
    submit(driver)
    wait_for(driver, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Adresse confirmée"))


def sign_in(driver, address, password=PASSWORD, expected_path=None):
    open_page(driver, "/connexion")
    fill(driver, "email", address)
    fill(driver, "password", password)
    submit(driver)
    if expected_path:
        wait_for_path(driver, expected_path)


def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "form[action='/deconnexion'] button").click()
    wait_for_path(driver, "/")
