"""axe-core on every page type: 0 violations at WCAG 2.1 A and AA."""

import urllib.error
import urllib.request
import uuid

import pytest
from selenium_axe_python import Axe
from selenium.webdriver.common.by import By

from conftest import (BASE_URL, STAFF_PASSWORD, confirm_address, fill, main_text, open_page, register, sign_in, sign_out,
                      staff_email, submit, unique_email)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(driver):
    Axe(driver).inject()
    # axe.run(context, options), with the page as context; a rejection is reported, not waited for.
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(done, error => done({error: String(error)}));",
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    assert "error" not in results, results.get("error")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in results["violations"]
    ]


def check(driver, path=None):
    if path is not None:
        open_page(driver, path)
    found = violations(driver)
    assert found == [], f"{driver.current_url}: {found}"


@pytest.mark.parametrize("path", [
    "/", "/connexion", "/inscription", "/mot-de-passe-oublie", "/mentions-legales", "/accessibilite",
    "/donnees-personnelles", "/page-qui-n-existe-pas", "/confirmation?jeton=inconnu",
])
def test_public_pages(browser, path):
    check(browser, path)


def test_forms_with_errors(browser):
    open_page(browser, "/inscription")
    fill(browser, "email", "pas une adresse")
    fill(browser, "password", "court")
    submit(browser)
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(browser)

    open_page(browser, "/connexion")
    submit(browser)
    check(browser)

    open_page(browser, "/mot-de-passe-oublie")
    fill(browser, "email", unique_email())
    submit(browser)
    check(browser)


def test_citizen_pages(browser):
    register(browser, unique_email())
    check(browser)  # the account page with its notice and the unconfirmed warning
    check(browser, "/compte/suppression")
    check(browser, "/compte/notifications")
    browser.find_element(By.ID, "contribution-moderation-weekly").click()
    submit(browser)
    assert "Vos choix de notifications ont été enregistrés" in main_text(browser)
    assert browser.find_element(By.ID, "contribution-moderation-weekly").is_selected()
    check(browser)
    open_page(browser, "/compte")
    fill(browser, "postcode", "123")
    submit(browser, "form[action='/compte']")
    check(browser)


def test_staff_pages(browser):
    sign_in(browser, staff_email("administrator"), password=STAFF_PASSWORD, expected_path="/admin")
    check(browser)
    for path in ["/admin/utilisateurs", "/admin/utilisateurs?equipe=1", "/admin/utilisateurs/nouveau", "/admin/journal",
                 "/admin/notifications", "/admin/jetons", "/admin/envois", "/admin/envois-en-echec", "/admin/reglages-petitions", "/admin/envois?etat=sent&adresse=staff%40browser-tests.example"]:
        check(browser, path)
    open_page(browser, "/admin/utilisateurs?equipe=1")
    browser.find_element(By.PARTIAL_LINK_TEXT, staff_email("analyst")).click()
    check(browser)
    open_page(browser, "/admin/utilisateurs/nouveau")
    submit(browser)
    check(browser)
    open_page(browser, "/admin/jetons")
    fill(browser, "label", "tableau de bord")
    submit(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "code.token")
    check(browser)
    sign_out(browser)
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    check(browser, "/admin/utilisateurs")  # the 403 page


def test_personal_api_tokens(browser):
    """/compte/jetons: unconfirmed, it says why and offers no form; confirmed, a token is
    created (errors next to their fields first), shown once, works on the API, and is revoked."""
    address = unique_email("jeton")
    register(browser, address)
    check(browser, "/compte/jetons")
    assert "pas encore confirmée" in main_text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/compte/jetons']")
    confirm_address(browser, address)

    open_page(browser, "/compte/jetons")
    fill(browser, "days", "400")
    submit(browser, "form[action='/compte/jetons']")
    assert browser.find_element(By.ID, "label").get_attribute("aria-invalid") == "true"
    assert "de 1 à 365" in browser.find_element(By.ID, "days-error").text
    check(browser)
    fill(browser, "label", "Mon application")
    fill(browser, "days", "30")
    submit(browser, "form[action='/compte/jetons']")
    token = browser.find_element(By.CSS_SELECTOR, "code.token").text
    assert token.startswith("dlg_")
    check(browser)

    def survey_answer_status():
        request = urllib.request.Request(f"{BASE_URL}/api/v1/surveys/{uuid.uuid4()}/responses/mine",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert survey_answer_status() == 404  # reached as the citizen: no such survey
    open_page(browser, "/compte/jetons")
    assert token not in browser.page_source
    submit(browser, "form[action$='/revocation']")
    assert "Le jeton a été révoqué." in main_text(browser)
    check(browser)
    assert survey_answer_status() == 401
