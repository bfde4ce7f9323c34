"""Attachments in the browser: a citizen attaches a file to a testimony with the keyboard; a
page of HTML named .pdf comes back refused next to the field, with what was typed kept; an
image with its description is published with the contribution and shown with it as its text
alternative; every page axe clean."""

import os
import struct
import tempfile
import time
import uuid
import zlib

from selenium.webdriver.common.by import By

from conftest import confirm_address, main_text, open_page, register, unique_email
from test_accessibility import check
from test_consultations import create_consultation
from test_surveys import press, type_into


def png_file(directory):
    """A real 8 × 8 PNG (red), so that the browser draws it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    content = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    path = os.path.join(directory, "local inondé.png")
    with open(path, "wb") as file:
        file.write(content)
    return path


def test_a_citizen_attaches_an_image_to_a_testimony_and_a_forged_pdf_is_refused(browser):
    marker = uuid.uuid4().hex[:8]
    path = create_consultation(browser, f"Locaux associatifs {marker}")
    email = unique_email("autrice")
    register(browser, email, display_name="Jeanne")
    confirm_address(browser, email)
    open_page(browser, path + "/contribuer?type=temoignage")
    check(browser)

    with tempfile.TemporaryDirectory() as directory:
        forged = os.path.join(directory, "rapport.pdf")
        with open(forged, "w", encoding="utf-8") as file:
            file.write("<!doctype html><script>alert(document.cookie)</script>")
        title = f"Notre local sous l'eau {marker}"
        browser.find_element(By.ID, "theme-emploi-associatif").send_keys(" ")
        type_into(browser, "title", title)
        type_into(browser, "text", f"Depuis l'orage du mois dernier ({marker}), l'association n'a plus de local pour ses réunions.")
        browser.find_element(By.ID, "attachment").send_keys(forged)
        press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
        text = main_text(browser)
        assert "ni une image (PNG, JPEG, WebP) ni un document PDF" in text
        assert "Votre fichier « rapport.pdf » n'a pas encore été envoyé" in text
        assert browser.find_element(By.ID, "title").get_attribute("value") == title
        assert browser.find_element(By.ID, "attachment").get_attribute("aria-invalid") == "true"
        check(browser)

        browser.find_element(By.ID, "attachment").send_keys(png_file(directory))
        type_into(browser, "attachment_description", "La salle de réunion inondée, les chaises dans l'eau")
        press(browser, browser.find_element(By.CSS_SELECTOR, "main form.form button[type=submit]"))
        assert "Merci ! Votre contribution est reçue" in main_text(browser)

    # Moderated after publication: shown in a moment, with its image.
    for _ in range(40):
        open_page(browser, path)
        links = browser.find_elements(By.LINK_TEXT, title)
        if links:
            break
        time.sleep(0.5)
    press(browser, links[0])
    image = browser.find_element(By.CSS_SELECTOR, "figure.attachment img")
    assert image.get_attribute("alt") == "La salle de réunion inondée, les chaises dans l'eau"
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 8
    assert "local inondé.png (image PNG, 1 ko)" in main_text(browser)
    check(browser)
