"""Moderation in the browser, on the petition path: a deposited petition waits in the
queue, a moderator publishes or rejects it (one at a time or in bulk), the petition
follows, and a citizen can flag content. Every page is checked with axe-core."""

import json
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import re

from conftest import (BASE_URL, STAFF_PASSWORD, fill, main_text, open_page, sign_in, sign_out, staff_email, submit,
                      wait_for, wait_for_mail)
from test_accessibility import check


def api_token(browser):
    """A bearer token of the `staff` account, made in the back-office as a person would."""
    sign_in(browser, staff_email("staff"), password=STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, "/admin/jetons")
    fill(browser, "label", f"tests {uuid.uuid4().hex[:6]}")
    submit(browser, "form[action='/admin/jetons']")
    token = browser.find_element(By.CSS_SELECTOR, "code.token").text
    sign_out(browser)
    return token


def api(method, path, token=None, body=None):
    request = urllib.request.Request(BASE_URL + path, method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def deposit(token, title,
            text="Nous demandons des trains TER plus fréquents entre Amiens et Lille aux heures de pointe.",
            reasons="Les trains du matin sont bondés et souvent en retard."):
    """Deposits through the API. Tests that deposit several petitions give each its own text:
    moderation holds back a near-duplicate of a recent petition."""
    status, petition = api("POST", "/api/v1/petitions", token, {"title": title, "text": text, "reasons": reasons})
    assert status == 201, petition
    assert petition["status"] == "in_moderation"
    assert petition["visible"] is False
    return petition["id"]


def open_item(browser, title, state="pending"):
    """Finds the petition in the queue (it arrives through the broker) and opens its page."""
    def listed(driver):
        open_page(driver, f"/admin/moderation?etat={state}&type=petition")
        return driver.find_elements(By.LINK_TEXT, title)
    wait_for(browser, listed, timeout=20)
    browser.find_element(By.LINK_TEXT, title).click()
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == title)


def wait_for_petition(petition_id, token, condition):
    def ready(_):
        status, petition = api("GET", f"/api/v1/petitions/{petition_id}", token)
        return status == 200 and condition(petition)
    return ready


def test_a_moderator_publishes_a_petition_which_then_opens(browser):
    token = api_token(browser)
    title = f"Des TER plus fréquents {uuid.uuid4().hex[:6]}"
    petition_id = deposit(token, title)
    # The public cannot see it before moderation.
    assert api("GET", f"/api/v1/petitions/{petition_id}")[0] == 404

    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    check(browser, "/admin/moderation")
    open_item(browser, title)
    check(browser)
    assert "prémodération" in main_text(browser)

    browser.find_element(By.ID, "decision-published").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    assert "La décision a été enregistrée" in main_text(browser)
    assert "Publiée" in main_text(browser)
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["status"] == "open" and p["visible"]), timeout=20)

    check(browser, "/admin/moderation/journal")
    assert title in main_text(browser)
    check(browser, "/admin/moderation/reglages")

    # Published, the petition has its public page and appears in the lists.
    sign_out(browser)
    check(browser, f"/petitions/{petition_id}")
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert "0 signature sur les" in main_text(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart[role=img] desc")
    check(browser, "/petitions?tri=recentes")
    assert browser.find_elements(By.LINK_TEXT, title)
    check(browser, "/petitions?q=fr%C3%A9quents")
    assert browser.find_elements(By.LINK_TEXT, title)
    check(browser, "/")
    assert "Toutes les pétitions" in main_text(browser)

    # Staff enter signatures collected on paper; they count, shown apart.
    sign_in(browser, staff_email("staff"), password=STAFF_PASSWORD, expected_path="/admin")
    check(browser, f"/admin/petitions/{petition_id}")
    submit(browser, "form[action$='/papier']")
    assert browser.find_element(By.CSS_SELECTOR, ".error-summary")
    check(browser)
    fill(browser, "nombre", "3")
    browser.execute_script("document.getElementById('date').value = new Date().toISOString().slice(0, 10)")
    fill(browser, "lieu", "Marché d'Abbeville")
    fill(browser, "noms", "Léa Martin\nHugo Petit\nInès Roux")
    submit(browser, "form[action$='/papier']")
    assert "Le lot de signatures sur papier a été ajouté" in main_text(browser)
    assert "(0 en ligne, 3 sur papier)" in main_text(browser)
    check(browser)


def test_a_rejection_needs_a_reason_and_keeps_the_petition_closed(browser):
    token = api_token(browser)
    title = f"Pétition à rejeter {uuid.uuid4().hex[:6]}"
    petition_id = deposit(token, title)
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    open_item(browser, title)

    browser.find_element(By.ID, "decision-rejected").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "demande un motif" in summary.text
    assert browser.find_element(By.ID, "motif").get_attribute("aria-invalid") == "true"
    check(browser)

    browser.find_element(By.ID, "decision-rejected").click()
    Select(browser.find_element(By.ID, "motif")).select_by_value("hors_sujet")
    submit(browser, "form[action='/admin/moderation/decisions']")
    assert "Rejetée" in main_text(browser)
    wait_for(browser, wait_for_petition(petition_id, token, lambda p: p["status"] == "rejected" and not p["visible"]), timeout=20)
    assert api("GET", f"/api/v1/petitions/{petition_id}")[0] == 404

    # The author (the staff account that deposited it) is told, with the reason and a link
    # that stops these messages without signing in.
    sign_out(browser)
    mail = wait_for_mail(staff_email("staff"), "Votre contribution : rejetée")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert title in body
    assert "Motif : Le texte ne relève pas des compétences de la Région" in body
    link = re.search(r"https?://\S+/desabonnement\?jeton=[A-Za-z0-9_.-]+", body).group(0)
    browser.get(link)
    check(browser)
    assert "décisions de modération" in main_text(browser)
    submit(browser)
    assert "Désabonnement enregistré" in browser.find_element(By.TAG_NAME, "h1").text
    check(browser)
    open_page(browser, "/desabonnement?jeton=faux.jeton")
    assert browser.find_element(By.TAG_NAME, "h1").text != "Se désabonner"


def test_bulk_decision_and_a_conflict_with_another_moderator(browser):
    token = api_token(browser)
    marker = uuid.uuid4().hex[:6]
    titles = [f"Lot {marker} n°{n}" for n in (1, 2)]
    ids = [deposit(token, title) for title in titles]
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    for title in titles:
        open_item(browser, title)
    open_page(browser, "/admin/moderation?type=petition")
    for title in titles:
        row = browser.find_element(By.XPATH, f"//tr[.//a[text()='{title}']]")
        row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    browser.find_element(By.ID, "decision-published").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    assert "Les décisions ont été enregistrées" in main_text(browser)
    for petition_id in ids:
        wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["status"] == "open"), timeout=20)

    # The same item open in two tabs: the second decision, made on what was seen before
    # the first, is refused and says who decided.
    open_item(browser, titles[0], state="published")
    first_tab = browser.current_window_handle
    browser.switch_to.new_window("tab")
    open_page(browser, "/admin/moderation?etat=published&type=petition")
    browser.find_element(By.LINK_TEXT, titles[0]).click()
    browser.find_element(By.ID, "decision-retained").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    assert "La décision a été enregistrée" in main_text(browser)
    browser.close()
    browser.switch_to.window(first_tab)
    browser.find_element(By.ID, "decision-not_retained").click()
    Select(browser.find_element(By.ID, "motif")).select_by_value("doublon")
    submit(browser, "form[action='/admin/moderation/decisions']")
    text = main_text(browser)
    assert "Déjà traité par une autre personne" in text
    assert "Retenue" in text
    check(browser)


def test_a_citizen_flags_a_petition(browser):
    token = api_token(browser)
    title = f"Pétition signalée {uuid.uuid4().hex[:6]}"
    petition_id = deposit(token, title)
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    open_item(browser, title)
    sign_out(browser)

    check(browser, f"/signalement?type=petition&id={petition_id}")
    submit(browser)
    assert "Choisissez la raison" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    check(browser)
    browser.find_element(By.ID, "motif-spam").click()
    fill(browser, "precision", "Des liens publicitaires répétés.")
    submit(browser)
    assert "votre signalement a été transmis" in main_text(browser)
    check(browser)
    # The same person again: told kindly, counted once.
    open_page(browser, f"/signalement?type=petition&id={petition_id}")
    browser.find_element(By.ID, "motif-spam").click()
    submit(browser)
    assert "déjà signalé" in main_text(browser)

    # The moderator sees who flagged, and ignores this reporter's flags with a reason.
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    open_item(browser, title)
    text = main_text(browser)
    assert "Signalé par : Visiteur sans compte." in text
    assert "Ne compte pas pour le masquage automatique." in text
    browser.find_element(By.CSS_SELECTOR, "li.flag details summary").click()
    check(browser)
    sanction = "form[action='/admin/moderation/signaleurs/sanction']"
    submit(browser, sanction)
    assert "Indiquez la raison de la sanction" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    check(browser)
    fill(browser, "sanction-0", "Signale des pétitions sans motif.")
    submit(browser, sanction)
    text = main_text(browser)
    assert "désormais ignorés" in text
    assert "Signaleur sanctionné : ce signalement est ignoré." in text
    assert "Signale des pétitions sans motif." in text
    check(browser)
    sign_out(browser)

    open_page(browser, f"/signalement?type=petition&id={uuid.uuid4()}")
    browser.find_element(By.ID, "motif-spam").click()
    submit(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text != "Signalement transmis"
