"""Prints a fresh personal API token of a new citizen, obtained as a person would: signing up
on the site's form, confirming the address with the link the mail brought (read from the
local SMTP server's folder), signing in, then creating a token on /compte/jetons.

Usage: DIALOGUE_MAIL_DIR=… citizen_token.py BASE_URL
The address it signs up with is appended to DIALOGUE_PERSONAL_DATA_FILE when set, so that
the scan of the services' logs looks for it too."""

import email
import email.policy
import os
import pathlib
import re
import sys
import time
import urllib.parse
import uuid

import requests

PASSWORD = "une phrase de passe pour la conformité"


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    if not match:
        sys.exit(f"no {name} field on the page")
    return match.group(1)


def confirmation_link(mail_dir, address, timeout=60):
    """The confirmation link of the newest mail to `address`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(message.get("To", "")).lower() and "Confirmez votre adresse" in str(message.get("Subject", "")):
                body = message.get_body(preferencelist=("plain",)).get_content()
                match = re.search(r"https?://\S+jeton=[A-Za-z0-9_-]+", body)
                if match:
                    return match.group(0)
        time.sleep(0.25)
    sys.exit(f"no confirmation mail within {timeout} s in {mail_dir}")


def main():
    base = sys.argv[1].rstrip("/")
    mail_dir = pathlib.Path(os.environ["DIALOGUE_MAIL_DIR"])
    address = f"conformite-{uuid.uuid4().hex[:10]}@exemple.fr"
    typed = os.environ.get("DIALOGUE_PERSONAL_DATA_FILE")
    if typed:
        with open(typed, "a", encoding="utf-8") as file:
            file.write(address + "\n")
    session = requests.Session()

    registered = session.post(base + "/inscription", data={
        "_csrf": hidden(session.get(base + "/inscription").text, "_csrf"), "email": address,
        "password": PASSWORD, "password_confirmation": PASSWORD, "terms": "1",
    })
    if "/connexion" not in registered.url:
        sys.exit(f"sign-up refused ({registered.status_code})")

    # The link names the site's public address; the same path and query on BASE_URL.
    link = urllib.parse.urlsplit(confirmation_link(mail_dir, address))
    page = session.get(f"{base}{link.path}?{link.query}")
    confirmed = session.post(base + "/confirmation", data={"_csrf": hidden(page.text, "_csrf"), "jeton": hidden(page.text, "jeton")})
    if "Adresse confirmée" not in confirmed.text:
        sys.exit(f"confirmation refused ({confirmed.status_code})")

    signed_in = session.post(base + "/connexion", data={
        "_csrf": hidden(session.get(base + "/connexion").text, "_csrf"), "email": address, "password": PASSWORD,
    })
    if "/connexion" in signed_in.url:
        sys.exit(f"sign-in refused ({signed_in.status_code})")
    page = session.get(base + "/compte/jetons")
    issued = session.post(base + "/compte/jetons", data={"_csrf": hidden(page.text, "_csrf"), "label": "conformité de l'API", "days": "1"})
    token = re.search(r'<code class="token">([^<]+)</code>', issued.text)
    if not token:
        sys.exit(f"no token issued ({issued.status_code})")
    print(token.group(1))


if __name__ == "__main__":
    main()
