"""Every text a person types is shown escaped and never runs, even if escaping failed
somewhere (the Content-Security-Policy forbids inline script)."""

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from conftest import fill, open_page, register, submit, unique_email

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    "\"><img src=x onerror=\"window.__xss = 1\">",
    "'><svg/onload=window.__xss=1>",
    "javascript:window.__xss=1",
    "</title><script>window.__xss=1</script>",
    "{{pageTitle}}{{{csrf}}}",
    "<a href=\"javascript:window.__xss=1\">lien</a>",
]


def assert_nothing_ran(driver):
    assert driver.execute_script("return window.__xss === undefined")
    try:
        driver.switch_to.alert
        raise AssertionError("an alert opened")
    except NoAlertPresentException:
        pass
    # Nothing the payloads carry became an element.
    assert driver.find_elements(By.CSS_SELECTOR, "main img, main svg, main script, main a[href^='javascript']") == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_profile_fields_is_shown_as_text(browser, payload):
    register(browser, unique_email("xss"), display_name=payload[:60], commune=payload)
    assert_nothing_ran(browser)
    assert browser.find_element(By.ID, "display_name").get_attribute("value") == payload[:60].strip()
    assert browser.find_element(By.ID, "commune").get_attribute("value") == payload.strip()

    # Re-rendered with an error, the values come back as text too.
    open_page(browser, "/compte")
    fill(browser, "postcode", payload)
    submit(browser, "form[action='/compte']")
    assert_nothing_ran(browser)
    assert browser.find_element(By.ID, "postcode").get_attribute("value") == payload.strip()


def test_payload_in_sign_in_and_registration_errors(browser):
    for payload in PAYLOADS:
        open_page(browser, "/connexion")
        fill(browser, "email", payload)
        submit(browser)
        assert_nothing_ran(browser)
        open_page(browser, "/inscription")
        fill(browser, "email", payload)
        fill(browser, "display_name", payload[:60])
        submit(browser)
        assert_nothing_ran(browser)
        assert browser.find_element(By.ID, "email").get_attribute("value") == payload.strip()
