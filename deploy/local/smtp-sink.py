#!/usr/bin/python3
"""A local SMTP server that keeps every mail it receives as a file.

Used by `deploy/local/up` (mails of a local run land in .local/run-platform/mail/) and by
the tests. Each accepted message is written as <time>-<n>.eml, atomically (a temporary file
renamed), so a reader never sees half a mail.

  smtp-sink.py --port 2525 --dir DIR [--fail RECIPIENT=CODE[xN],...]

--fail makes the server refuse a recipient with an SMTP code, e.g.
  --fail 'flaky@example.org=451x1,refused@example.org=550'
refuses flaky@example.org once with 451 (then accepts it) and refused@example.org always.

An address can also carry its own rule, so that tests running side by side each get the
behaviour they need from one server:
  refuse-<code>[x<N>]-<anything>@<domain>       refused at RCPT TO
  refuse-data-<code>[x<N>]-<anything>@<domain>  accepted at RCPT TO, refused after the message
with <code> an SMTP code, N times (then accepted), or always without xN.
"""

import argparse
import asyncio
import itertools
import os
import pathlib
import re
import time

from aiosmtpd.controller import Controller


ADDRESS_RULE = re.compile(r"^refuse-(data-)?(\d{3})(?:x(\d+))?-")


def refusal(code):
    return f"{code} {'4.0.0 try again later' if code < 500 else '5.1.1 mailbox unavailable'}"


class Sink:
    def __init__(self, folder, failures):
        self.folder = folder
        self.failures = failures  # (stage, address) -> [code, remaining or None for always]
        self.counter = itertools.count(1)

    def rule(self, stage, address):
        """The rule for this address at this stage, from --fail or from the address itself."""
        address = address.lower()
        key = (stage, address)
        if key not in self.failures:
            match = ADDRESS_RULE.match(address)
            if match is None or (match.group(1) is not None) != (stage == "data"):
                return None
            self.failures[key] = [int(match.group(2)), int(match.group(3)) if match.group(3) else None]
        return self.failures[key]

    def refuses(self, stage, address):
        """The SMTP code to refuse with, consuming one of a limited number of refusals."""
        rule = self.rule(stage, address)
        if rule is None or (rule[1] is not None and rule[1] <= 0):
            return None
        if rule[1] is not None:
            rule[1] -= 1
        return rule[0]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.refuses("rcpt", address)
        if code is not None:
            return refusal(code)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            code = self.refuses("data", address)
            if code is not None:
                return refusal(code)
        name = f"{time.time_ns()}-{next(self.counter)}"
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(envelope.original_content or envelope.content)
        os.replace(temporary, self.folder / f"{name}.eml")
        return "250 Message accepted"


def parse_failures(text):
    failures = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        address, _, rule = item.partition("=")
        code, _, times = rule.partition("x")
        failures[("rcpt", address.lower())] = [int(code), int(times) if times else None]
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--fail", default="")
    arguments = parser.parse_args()
    folder = pathlib.Path(arguments.dir)
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(folder, parse_failures(arguments.fail)), hostname="127.0.0.1", port=arguments.port)
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
