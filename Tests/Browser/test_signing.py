"""Signing a petition in the browser: a visitor's form with its errors, the mail, the page
of the link whose button confirms, then a moderator invalidating a campaign of signatures
from the fraud controls page. Every page is checked with axe-core."""

import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, fill, main_text, open_page, sign_in, sign_out, staff_email, submit, wait_for, wait_for_mail, link_in
from test_accessibility import check
from test_moderation import api, api_token, deposit, open_item, wait_for_petition


def published_petition(browser, title):
    token = api_token(browser)
    petition_id = deposit(
        token, title, text="Nous demandons des pistes cyclables séparées de la route entre la gare d'Arras et chacun de ses lycées.",
        reasons="Des centaines d'élèves font ce trajet à vélo chaque matin, au milieu des camions de livraison.",
    ).lower()
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    open_item(browser, title)
    browser.find_element(By.ID, "decision-published").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["status"] == "open"), timeout=20)
    sign_out(browser)
    return petition_id


def test_a_visitor_signs_confirms_with_the_button_and_a_moderator_invalidates_a_campaign(browser):
    title = f"Des pistes cyclables vers les lycées d'Arras {uuid.uuid4().hex[:6]}"
    petition_id = published_petition(browser, title)
    path = f"/petitions/{petition_id}"

    # The form, sent empty: every error is listed and tied to its field.
    check(browser, path)
    submit(browser, f"form[action='{path}/signer']")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Indiquez votre nom" in summary
    assert "Cochez la case d'accord" in summary
    assert browser.find_element(By.ID, "consent").get_attribute("aria-invalid") == "true"
    check(browser)

    # Signed: the page says to look at the mail; nothing counts yet.
    address = f"signataire-{uuid.uuid4().hex[:8]}@exemple.fr"
    fill(browser, "name", "Léa Fontaine")
    fill(browser, "email", address)
    fill(browser, "postcode", "62000")
    browser.find_element(By.ID, "consent").click()
    submit(browser, f"form[action='{path}/signer']")
    assert "Vérifiez votre messagerie" in main_text(browser)
    check(browser)
    assert api("GET", f"/api/v1/petitions/{petition_id}")[1]["signatureCount"] == 0

    # The link opens a page with a button; only the button confirms.
    browser.get(link_in(wait_for_mail(address, "Confirmez votre signature")))
    assert title in main_text(browser)
    check(browser)
    submit(browser, "form[action='/confirmer-signature']")
    assert "Signature confirmée" in main_text(browser)
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["signatureCount"] == 1), timeout=20)

    # A moderator finds the source in the last hour, previews, then invalidates with a reason.
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    check(browser, f"/admin/petitions/{petition_id}/fraude")
    assert "exemple.fr" in main_text(browser)
    fill(browser, "domaine", "exemple.fr")
    submit(browser, f"form[action='/admin/petitions/{petition_id}/fraude/apercu']")
    assert "1 signature sera invalidée, dont 1 comptée aujourd'hui" in main_text(browser)
    check(browser)
    submit(browser, f"form[action='/admin/petitions/{petition_id}/fraude/invalidation']")
    assert "Indiquez la raison" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    fill(browser, "raison", "Signature de démonstration")
    submit(browser, f"form[action='/admin/petitions/{petition_id}/fraude/invalidation']")
    assert "Les signatures ont été invalidées" in main_text(browser)
    assert "Signature de démonstration" in main_text(browser)
    check(browser)
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["signatureCount"] == 0), timeout=20)
