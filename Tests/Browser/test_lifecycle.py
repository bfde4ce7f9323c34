"""The petition's lifecycle after the threshold, in the browser: staff refer a petition that
reached its threshold, publish the assembly's answer (a refused form keeps what was typed),
the public page shows it and the author is told. Every page is checked with axe-core."""

import uuid

from selenium.webdriver.common.by import By

from conftest import STAFF_PASSWORD, fill, main_text, open_page, sign_in, sign_out, staff_email, submit, wait_for, wait_for_mail
from test_accessibility import check
from test_moderation import api, api_token, deposit, open_item, wait_for_petition

ANSWER = ("L'assemblée a adopté un avis sur la desserte ferroviaire entre Amiens et Lille.\n"
          "Elle demande à la Région trois allers-retours supplémentaires aux heures de pointe.")


def past_its_threshold(browser, token, title):
    """Deposits a petition, publishes it, and enters paper signatures up to its threshold."""
    petition_id = deposit(
        token, title, text="Nous demandons que la Région rouvre les guichets des petites gares de la Somme le samedi matin.",
        reasons="Sans guichet, les voyageurs âgés ne peuvent plus acheter leurs abonnements.",
    )
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    open_item(browser, title)
    browser.find_element(By.ID, "decision-published").click()
    submit(browser, "form[action='/admin/moderation/decisions']")
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["status"] == "open"), timeout=20)
    sign_out(browser)
    threshold = api("GET", f"/api/v1/petitions/{petition_id}")[1]["threshold"]

    sign_in(browser, staff_email("staff"), password=STAFF_PASSWORD, expected_path="/admin")
    open_page(browser, f"/admin/petitions/{petition_id}")
    fill(browser, "nombre", str(threshold))
    browser.execute_script("document.getElementById('date').value = new Date().toISOString().slice(0, 10)")
    fill(browser, "lieu", "Gare d'Amiens")
    submit(browser, "form[action$='/papier']")
    wait_for(browser, wait_for_petition(petition_id, None, lambda p: p["status"] == "threshold_reached"), timeout=20)
    return petition_id


def test_staff_refer_then_publish_the_answer_which_the_public_page_shows(browser):
    token = api_token(browser)
    title = f"Plus de trains Amiens-Lille {uuid.uuid4().hex[:6]}"
    petition_id = past_its_threshold(browser, token, title)

    # Referral: the only step offered past the threshold.
    check(browser, f"/admin/petitions/{petition_id}")
    assert "Seuil de saisine atteint" in main_text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/reponse']")
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/cloture']")
    fill(browser, "precision", "Commission Mobilités, séance du 4 juin")
    submit(browser, "form[action$='/transmission']")
    assert "La pétition est transmise à l'assemblée" in main_text(browser)
    assert "Transmise à l'assemblée" in main_text(browser)
    assert "Commission Mobilités, séance du 4 juin" in main_text(browser)
    check(browser)

    # The answer: a refused form says why and keeps what was typed.
    fill(browser, "reponse", ANSWER)
    fill(browser, "rapport", "pas un lien")
    submit(browser, "form[action$='/reponse']")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Choisissez la décision" in summary
    assert "adresse web complète" in summary
    assert browser.find_element(By.ID, "reponse").get_attribute("value") == ANSWER
    assert browser.find_element(By.ID, "rapport").get_attribute("aria-invalid") == "true"
    check(browser)
    browser.find_element(By.ID, "decision-opinion_adopted").click()
    fill(browser, "rapport", "https://ceser.example/avis/desserte-amiens-lille.pdf")
    submit(browser, "form[action$='/reponse']")
    assert "La réponse de l'assemblée est publiée" in main_text(browser)
    assert "Avis adopté par l'assemblée" in main_text(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "form[action$='/cloture']")
    check(browser)
    sign_out(browser)

    # The public page shows the answer, with the link to the report.
    check(browser, f"/petitions/{petition_id}")
    text = main_text(browser)
    assert "L'assemblée a répondu" in text
    assert "La réponse de l'assemblée" in text
    assert "Avis adopté par l'assemblée" in text
    assert "trois allers-retours supplémentaires" in text
    assert browser.find_element(By.CSS_SELECTOR, "a[href='https://ceser.example/avis/desserte-amiens-lille.pdf']")
    # It is listed among the petitions that no longer collect.
    check(browser, "/petitions?etat=closes")
    assert browser.find_elements(By.LINK_TEXT, title)

    # The author (the staff account that deposited it) is told of the answer.
    mail = wait_for_mail(staff_email("staff"), "L'assemblée a répondu à votre pétition")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert title in body
    assert "Avis adopté par l'assemblée" in body
