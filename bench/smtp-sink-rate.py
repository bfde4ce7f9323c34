#!/usr/bin/python3
"""Measures how many mails the local SMTP sink accepts per second on its own.

The mail-rate benchmark measures the notification worker against deploy/local/smtp-sink.py, a
single-threaded Python server: this tells whether the worker or the sink limits that figure.
Like the worker (libcurl, one connection per mail), each mail opens its own SMTP session.

  smtp-sink-rate.py --port 59025 [--mails 2000] [--concurrency 4] [--message FILE.eml]

Without --message, a multipart message of the worker's size (about 3.5 KB) is made up.
"""

import argparse
import base64
import concurrent.futures
import smtplib
import time


def base64_lines(text):
    # SMTP lines end with CRLF; encodebytes ends its 76-character lines with LF only.
    return base64.encodebytes(text.encode()).decode().replace("\n", "\r\n")


def made_up_message(recipient):
    text = base64_lines("Bonjour Camille, ouvrez ce lien pour confirmer votre adresse. " * 20)
    html = base64_lines("<p>Bonjour Camille, ouvrez ce lien pour confirmer votre adresse.</p>" * 20)
    return (
        "From: Dialogue <ne-pas-repondre@dialogue.localhost>\r\n"
        f"To: <{recipient}>\r\n"
        "Subject: Confirmez votre adresse\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{text}--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{html}--b--\r\n"
    ).encode()


def send(port, recipient, message):
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as session:
        session.sendmail("ne-pas-repondre@dialogue.localhost", [recipient], message)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--message")
    arguments = parser.parse_args()
    recipient = "sink-rate@exemple.fr"
    if arguments.message:
        with open(arguments.message, "rb") as file:
            message = file.read()
    else:
        message = made_up_message(recipient)

    started = time.monotonic()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(arguments.concurrency) as pool:
        for future in concurrent.futures.as_completed(
            pool.submit(send, arguments.port, recipient, message) for _ in range(arguments.mails)
        ):
            if future.exception() is not None:
                failures += 1
    elapsed = time.monotonic() - started
    sent = arguments.mails - failures
    label = f"sink alone ({arguments.concurrency} sessions at once)"
    print(f"{label:<40}{sent:8d} mails {elapsed:7.2f} s  {sent / elapsed:9.1f} mails/s  ({len(message)}-byte mails, {failures} failed)")


if __name__ == "__main__":
    main()
