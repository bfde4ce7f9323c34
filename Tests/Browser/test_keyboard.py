"""Keyboard-only use: the skip link comes first and is visible, focus is always visible,
forms are usable and their errors reachable without a mouse."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import open_page, wait_for_path


def active(driver):
    return driver.switch_to.active_element


def test_skip_link_is_first_visible_and_moves_to_content(browser):
    open_page(browser, "/")
    active(browser).send_keys(Keys.TAB)
    link = active(browser)
    assert link.text == "Aller au contenu"
    assert link.get_attribute("href").endswith("#contenu")
    # Visible once focused (it sits off-screen otherwise), with an outline.
    rect = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.top, r.left, r.width, r.height]", link)
    assert rect[0] >= 0 and rect[2] > 0 and rect[3] > 0
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", link)
    assert outline != "none"
    link.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#contenu")


def test_every_focusable_element_shows_focus(browser):
    open_page(browser, "/inscription")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    seen = 0
    for _ in range(25):
        element = active(browser)
        if element.tag_name == "body":
            break
        style = browser.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.boxShadow]", element)
        assert style[0] != "none" or style[2] != "none", f"no visible focus on {element.tag_name} {element.get_attribute('id')}"
        seen += 1
        element.send_keys(Keys.TAB)
    assert seen >= 8


def test_sign_in_form_by_keyboard_shows_errors_tied_to_fields(browser):
    open_page(browser, "/connexion")
    browser.find_element(By.ID, "email").send_keys("pas-une-adresse@exemple.fr")
    browser.find_element(By.ID, "email").send_keys(Keys.TAB)
    active(browser).send_keys(Keys.TAB)  # past the password, to the button
    button = active(browser)
    assert button.tag_name == "button"
    button.send_keys(Keys.ENTER)
    wait_for_path(browser, "/connexion")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.get_attribute("role") == "alert"
    password = browser.find_element(By.ID, "password")
    assert password.get_attribute("aria-invalid") == "true"
    error_id = password.get_attribute("aria-describedby")
    assert browser.find_element(By.ID, error_id).text
    # The e-mail typed is kept; the password never is.
    assert browser.find_element(By.ID, "email").get_attribute("value") == "pas-une-adresse@exemple.fr"
    assert password.get_attribute("value") == ""
