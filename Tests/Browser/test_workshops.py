"""Workshops in the browser, keyboard only and axe clean: staff schedule a one-seat workshop in
a process's phase (a bad end comes back next to its field), a first citizen registers without an
account and gets a code, a second joins the waitlist, the first cancels with the link of the
confirmation mail and the second is promoted, told by mail, and confirms the seat on its page."""

import datetime
import urllib.request
import uuid

import icalendar
from selenium.webdriver.common.by import By

from conftest import BASE_URL, STAFF_PASSWORD, main_text, open_page, sign_in, sign_out, staff_email, unique_email, wait_for_mail
from test_accessibility import check
from test_forums import type_day
from test_surveys import press, type_date, type_into


def register(browser, path, name, address):
    open_page(browser, path)
    check(browser)
    type_into(browser, "nom", name)
    type_into(browser, "adresse", address)
    press(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/inscription'] button[type=submit]"))
    check(browser)
    return main_text(browser)


def test_register_waitlist_cancel_and_promotion(browser):
    title = f"Ateliers citoyens des mobilités {uuid.uuid4().hex[:6]}"
    sign_in(browser, staff_email("staff"), STAFF_PASSWORD, expected_path="/admin")

    # A process of one workshops phase, all of next year.
    open_page(browser, "/admin/processus/nouveau")
    type_into(browser, "titre", title)
    type_into(browser, "politique", "Politique départementale des mobilités")
    type_into(browser, "objet", "Associer les habitants du Nord à la politique des mobilités.")
    browser.find_element(By.ID, "etape-1-type").send_keys("Ateliers")
    type_day(browser, "etape-1-debut", "2030")
    type_day(browser, "etape-1-fin", "2031")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=enregistrer]"))
    assert "La démarche est enregistrée" in main_text(browser)
    process_path = "/processus/" + browser.find_element(By.LINK_TEXT, title).get_attribute("href").split("/processus/")[1]
    open_page(browser, "/admin" + process_path + "/ateliers")
    check(browser)
    press(browser, browser.find_element(By.LINK_TEXT, "Programmer un atelier"))
    check(browser)

    # An end before the start comes back next to its field.
    type_into(browser, "themes", "Transports du quotidien")
    browser.find_element(By.ID, "arrondissement").send_keys("Valenciennes")
    type_into(browser, "lieu", "Salle des fêtes, Valenciennes")
    type_date(browser, "debut", "01/01/2030", "10:00")
    type_date(browser, "fin", "01/01/2030", "09:00")
    type_into(browser, "capacite", "1")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert "La fin de l'atelier précède son début" in main_text(browser)
    check(browser)
    type_date(browser, "fin", "01/01/2030", "11:00")
    press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
    assert "L'atelier est programmé" in main_text(browser)
    check(browser)
    href = browser.find_element(By.LINK_TEXT, "Page publique de l'atelier").get_attribute("href")
    workshop_path = "/ateliers/" + href.split("/ateliers/")[1]
    sign_out(browser)

    # The process's page lists it with its seat.
    open_page(browser, process_path)
    assert "1 place restante sur 1" in main_text(browser)
    check(browser)

    # A first citizen takes the seat, a second waits.
    first, second = unique_email("atelier"), unique_email("atelier")
    text = register(browser, workshop_path, "Alice Martin", first)
    assert "Votre inscription est confirmée" in text
    code = browser.find_element(By.CSS_SELECTOR, "strong.code").text
    assert len(code) == 6
    # The invitation imports into a calendar library: the event at 10:00 in Paris, with the code.
    invitation = browser.find_element(By.PARTIAL_LINK_TEXT, "Ajouter l'atelier à votre agenda").get_attribute("href")
    with urllib.request.urlopen(BASE_URL + "/inscription-atelier/" + invitation.split("/inscription-atelier/")[1]) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime.datetime(2030, 1, 1, 10, 0) and start.utcoffset() == datetime.timedelta(hours=1)
    assert "Valenciennes" in str(event["SUMMARY"]) and code in str(event["DESCRIPTION"])
    mail = wait_for_mail(first, "Inscription confirmée")
    assert code in mail.get_body(preferencelist=("plain",)).get_content()
    text = register(browser, workshop_path, "Bruno Lefebvre", second)
    assert "vous êtes en liste d'attente" in text and "rang 1" in text
    wait_for_mail(second, "Liste d'attente")

    # The first cancels with the link of the mail; the second gets the seat and is told.
    body = mail.get_body(preferencelist=("plain",)).get_content()
    link = next(line.split(" : ", 1)[1] for line in body.splitlines() if line.startswith("Voir ou annuler votre inscription : "))
    browser.get(link)
    check(browser)
    press(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/inscription-atelier/annuler'] button[type=submit]"))
    assert "Votre inscription est annulée" in main_text(browser)
    check(browser)
    promoted = wait_for_mail(second, "Une place s'est libérée")
    body = promoted.get_body(preferencelist=("plain",)).get_content()
    assert "Confirmez votre place avant le" in body

    # The second confirms the seat on the page of the mail's link, before its deadline.
    link = next(line.split(" : ", 1)[1] for line in body.splitlines() if line.startswith("Voir ou annuler votre inscription : "))
    browser.get(link)
    check(browser)
    press(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/inscription-atelier/confirmer'] button[type=submit]"))
    assert "Votre place est confirmée" in main_text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/inscription-atelier/confirmer']")
    check(browser)
