"""Prints a fresh API token of a staff account, obtained as a person would: signing in
through the site's form, then creating a token on /admin/jetons.

Usage: DIALOGUE_STAFF_PASSWORD=… staff_token.py BASE_URL EMAIL"""

import os
import re
import sys

import requests


def hidden_csrf(html):
    match = re.search(r'name="_csrf" value="([^"]+)"', html)
    if not match:
        sys.exit("no CSRF token on the page")
    return match.group(1)


def main():
    base, email = sys.argv[1].rstrip("/"), sys.argv[2]
    password = os.environ["DIALOGUE_STAFF_PASSWORD"]
    session = requests.Session()
    signed_in = session.post(
        base + "/connexion",
        data={"_csrf": hidden_csrf(session.get(base + "/connexion").text), "email": email, "password": password},
    )
    if "/connexion" in signed_in.url:
        sys.exit(f"sign-in refused for {email} ({signed_in.status_code})")
    page = session.get(base + "/admin/jetons")
    issued = session.post(base + "/admin/jetons", data={"_csrf": hidden_csrf(page.text), "label": "conformité de l'API"})
    token = re.search(r'<code class="token">([^<]+)</code>', issued.text)
    if not token:
        sys.exit(f"no token issued ({issued.status_code})")
    print(token.group(1))


if __name__ == "__main__":
    main()
