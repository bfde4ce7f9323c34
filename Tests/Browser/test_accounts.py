"""Accounts as a person uses them, in a real Chromium: register, confirm by mail, sign in
and out, reset a password, staff sign-in and role-based access."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from conftest import (BASE_URL, PASSWORD, STAFF_PASSWORD, confirm_address, fill, link_in, main_text, open_page,
                      register, sign_in, sign_out, staff_email, submit, unique_email, wait_for, wait_for_mail,
                      wait_for_path)


def test_register_confirm_by_mail_sign_out_and_in(browser):
    address = unique_email()
    register(browser, address)
    assert "pas encore confirmée" in main_text(browser)

    # The link opens a page with a button: visiting it (as a mail scanner would) confirms nothing.
    link = link_in(wait_for_mail(address, "Confirmez"))
    browser.get(link)
    open_page(browser, "/compte")
    assert "pas encore confirmée" in main_text(browser)
    browser.get(link)
    submit(browser)
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Adresse confirmée"))
    open_page(browser, "/compte")
    assert "pas encore confirmée" not in main_text(browser)

    # A used link is refused.
    browser.get(link)
    assert "Lien invalide ou expiré" in browser.find_element(By.TAG_NAME, "h1").text

    sign_out(browser)
    assert "Vous êtes déconnecté·e." in main_text(browser)
    open_page(browser, "/compte")
    wait_for_path(browser, "/connexion")

    sign_in(browser, address, expected_path="/compte")
    assert address in main_text(browser)


def test_wrong_password_error_is_tied_to_its_field(browser):
    address = unique_email()
    register(browser, address)
    sign_out(browser)

    sign_in(browser, address, password="pas le bon mot de passe")
    field = browser.find_element(By.ID, "password")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby").split()
    assert "password-error" in described
    assert "incorrect" in browser.find_element(By.ID, "password-error").text
    # The summary links to the field.
    summary_link = browser.find_element(By.CSS_SELECTOR, ".error-summary a[href='#password']")
    assert "incorrect" in summary_link.text


def test_password_reset_by_mail(browser):
    address = unique_email("oubli")
    register(browser, address)
    sign_out(browser)

    open_page(browser, "/mot-de-passe-oublie")
    fill(browser, "email", address)
    submit(browser)
    assert "Si un compte existe" in main_text(browser)

    browser.get(link_in(wait_for_mail(address, "Réinitialisation")))
    new_password = "un tout nouveau mot de passe"
    fill(browser, "password", new_password)
    fill(browser, "password_confirmation", new_password)
    submit(browser)
    wait_for_path(browser, "/connexion")
    assert "Votre mot de passe a été changé" in main_text(browser)

    sign_in(browser, address, password=PASSWORD)
    assert "incorrect" in main_text(browser)
    sign_in(browser, address, password=new_password, expected_path="/compte")


def test_staff_sign_in_and_role_based_access(browser):
    # Anonymous: the back-office asks to sign in, then brings the person back.
    open_page(browser, "/admin/journal")
    wait_for_path(browser, "/connexion")
    fill(browser, "email", staff_email("administrator"))
    fill(browser, "password", STAFF_PASSWORD)
    submit(browser)
    wait_for_path(browser, "/admin/journal")
    assert "Journal des actions" in browser.find_element(By.TAG_NAME, "h1").text
    assert "staff.signed_in" in main_text(browser)
    open_page(browser, "/admin/utilisateurs")
    assert staff_email("moderator") in main_text(browser)
    sign_out(browser)

    # A moderator reaches the dashboard but not the administrators' pages.
    sign_in(browser, staff_email("moderator"), password=STAFF_PASSWORD, expected_path="/admin")
    assert "Utilisateurs" not in browser.find_element(By.CSS_SELECTOR, "nav.admin-nav").text
    open_page(browser, "/admin/utilisateurs")
    assert "Accès refusé" in browser.find_element(By.TAG_NAME, "h1").text
    sign_out(browser)

    # A citizen reaches neither.
    address = unique_email()
    register(browser, address)
    open_page(browser, "/admin")
    assert "Accès refusé" in browser.find_element(By.TAG_NAME, "h1").text
    assert BASE_URL in browser.current_url
