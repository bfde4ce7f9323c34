#!/usr/bin/python3
"""The fault suite: citizens sign a petition through the gateway while one part of the
platform fails, and afterwards nothing they were told was accepted is lost.

Run by `deploy/local/test` (short form: each scenario once) on the platform the browser tests
used, or by hand at length (`FAULT_RUNS=20 deploy/local/test --faults-only`). Each run of a
scenario signs a petition of its own (threshold FAULT_THRESHOLD) from many addresses and mail
domains at a steady rate, does its fault a third of the way in, then:

- waits until every signature answered 202 is stored, and checks: each exactly once; each
  request answered with an error or no answer at all stored at most once;
- waits until each stored signature's confirmation mail arrived (at least once, at most twice),
  confirms each through the API with the link's token, and checks that the petition's count
  equals the confirmed rows;
- checks the threshold event and the staff notification happened exactly once;
- checks nothing is stuck: every queue drained (dead letters counted apart), every outbox
  published, no mail delivery left pending or failed.

With --metrics, a Prometheus of its own scrapes every service and the broker throughout, with
the alert rules of deploy/kubernetes/monitoring loaded; at the end every query of the Grafana
dashboard must answer with data, and every alert rule must evaluate without error (its peak
over the suite is printed, so the dashboard is read against what a peak produced).

It prints one table line per run and exits 1 if any check failed. The standard library and
Debian's python3-yaml: HTTP through http.client, SQL through psql, mails from the SMTP sink's
folder.
"""

import argparse
import collections
import email
import email.policy
import http.client
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

import yaml

MONITORING = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "monitoring"
CONFIRMATION_LINK = re.compile(r"/confirmer-signature\?jeton=([A-Za-z0-9_\-]+)")
# The schemas whose outbox must be empty once the platform has caught up.
OUTBOX_SCHEMAS = ["petitions", "surveys", "consultations", "moderation", "notifications", "identity", "synthesis"]
# The queues of the platform's services (`<service>.events`, `.commands`, `.rpc`, their `.dead`,
# and the RPC reply queues), as `dialoguectl topology` declares them.
PLATFORM_QUEUE = re.compile(r"^(gateway|petitions|surveys|consultations|moderation|notifications|synthesis|rpc\.reply)\.")
SIGNER_THREADS = 8
MAIL_DOMAINS = 7


class Platform:
    """What the suite reads and does: HTTP to the gateway, SQL as administrator, faults."""

    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        host_port = self.base.split("://", 1)[1]
        self.host, self.port = host_port.split(":")[0], int(host_port.split(":")[1])
        self.args = args
        self.mail_dir = pathlib.Path(args.mail_dir)
        self.fault_log = open(pathlib.Path(args.dir) / "logs" / "fault-actions.log", "a")

    def sql(self, query, retry_for=60.0):
        """One value per row, first column; retried while PostgreSQL restarts."""
        deadline = time.monotonic() + retry_for
        environment = dict(os.environ, PGPASSWORD=self.args.admin_password, PGOPTIONS="-c client_min_messages=warning")
        while True:
            completed = subprocess.run(
                ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.args.pg_port),
                 "-U", "dialogue_admin", "-d", "dialogue", "-c", query],
                env=environment, capture_output=True, text=True,
            )
            if completed.returncode == 0:
                return [line for line in completed.stdout.splitlines() if line != ""]
            if time.monotonic() > deadline:
                raise RuntimeError(f"psql failed: {completed.stderr.strip()}")
            time.sleep(0.5)

    def number(self, query):
        return int(self.sql(query)[0])

    def fault(self, action, service="", seconds=""):
        """Tests/Faults/fault-action; its output goes to a log file, never to a pipe: a
        restarted server inherits the descriptors, and a pipe would never reach its end."""
        command = [str(pathlib.Path(__file__).with_name("fault-action")), self.args.dir, self.args.bin,
                   str(self.args.pg_port), str(self.args.amqp_port), str(self.args.smtp_port), action]
        command += [part for part in (service, str(seconds) if seconds != "" else "") if part]
        self.fault_log.write(f"--- {time.strftime('%H:%M:%S')} {' '.join(command[6:])}\n")
        self.fault_log.flush()
        status = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=self.fault_log, stderr=self.fault_log).returncode
        if status != 0:
            raise RuntimeError(f"fault action {' '.join(command[6:])} failed ({status}); see {self.fault_log.name}")

    def post_json(self, connection, path, body):
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status

    def queues(self):
        """(name, messages) of every queue of the platform: the test command's broker also
        holds the queues the Swift tests left behind (each test's own prefix), which no
        service consumes."""
        rabbitmqctl = pathlib.Path(self.args.dir) / "bin" / "rabbitmqctl"
        output = subprocess.run([str(rabbitmqctl), "-q", "list_queues", "name", "messages", "--no-table-headers"],
                                capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL).stdout
        rows = []
        for line in output.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit() and PLATFORM_QUEUE.match(parts[0]):
                rows.append((parts[0], int(parts[1])))
        return rows


class Mailbox:
    """The signature confirmation mails of the SMTP sink's folder, by recipient; each file
    is read once (the sink writes them atomically)."""

    def __init__(self, folder):
        self.folder = folder
        self.read = set()
        self.tokens = collections.defaultdict(list)

    def refresh(self):
        for path in sorted(self.folder.glob("*.eml")):
            if path.name in self.read:
                continue
            self.read.add(path.name)
            with open(path, "rb") as file:
                message = email.message_from_binary_file(file, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain", "html"))
            match = CONFIRMATION_LINK.search(body.get_content() if body else "")
            if match:
                for recipient in message.get_all("To", []):
                    self.tokens[email.utils.parseaddr(str(recipient))[1].lower()].append(match.group(1))


class Signing:
    """Signs one petition at a steady rate from SIGNER_THREADS threads; each request's
    address and outcome (an HTTP status, or the error that stood for an answer) is kept."""

    def __init__(self, platform, petition, label, rate, seconds):
        self.platform, self.petition, self.label = platform, petition, label
        self.rate, self.seconds = rate, seconds
        self.outcomes = []  # (address, status or None, error or None, seconds since start)
        self.lock = threading.Lock()

    def run(self):
        self.started = time.monotonic()
        threads = [threading.Thread(target=self.signer, args=(index,)) for index in range(SIGNER_THREADS)]
        for thread in threads:
            thread.start()
        return threads

    def signer(self, index):
        interval = SIGNER_THREADS / self.rate
        connection = None
        sent = 0
        while True:
            due = self.started + index * interval / SIGNER_THREADS + sent * interval
            if due - self.started >= self.seconds:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            number = sent * SIGNER_THREADS + index
            sent += 1
            address = f"{self.label}-{number}@signataires-{number % MAIL_DOMAINS}.fautes.example"
            body = {"name": "Signataire d'épreuve", "email": address, "postcode": "59000", "consent": True}
            status, error = None, None
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.platform.host, self.platform.port, timeout=15)
                status = self.platform.post_json(connection, f"/api/v1/petitions/{self.petition}/signatures", body)
            except (OSError, http.client.HTTPException) as failure:
                error = type(failure).__name__
                connection.close()
                connection = None
            with self.lock:
                self.outcomes.append((address, status, error, time.monotonic() - self.started))


def wait_until(what, predicate, timeout):
    """Polls PREDICATE (returns (done, detail)) until done or TIMEOUT seconds; returns the
    last detail and whether it was done."""
    deadline = time.monotonic() + timeout
    while True:
        done, detail = predicate()
        if done or time.monotonic() > deadline:
            if not done:
                print(f"    waited {timeout:.0f} s for {what}: {detail}", flush=True)
            return done, detail
        time.sleep(0.5)


def petition_rows(platform, petition):
    """address -> [confirmed?] of the petition's stored signatures."""
    rows = collections.defaultdict(list)
    for line in platform.sql(f"SELECT email_normalized, confirmed_at IS NOT NULL FROM petitions.signatures "
                             f"WHERE petition_id = '{petition}'"):
        address, confirmed = line.split("|")
        rows[address].append(confirmed == "t")
    return rows


def dead_letters(platform):
    return sum(messages for name, messages in platform.queues() if "dead" in name)


def run_scenario(platform, mailbox, scenario, run, args):
    name, fault = scenario
    petition = str(uuid.uuid4())
    label = f"panne-{name}-{run}-{petition[:8]}"
    title = f"Épreuve de panne {label}"
    platform.sql(
        "INSERT INTO petitions.petitions (id, title, body, threshold, status, visible, opened_at, closes_at, author_name) "
        f"VALUES ('{petition}', '{title}', 'Une pétition de la suite de pannes (Tests/Faults).', {args.threshold}, "
        "'open', true, now(), now() + interval '30 days', 'Suite de pannes')")
    dead_before = dead_letters(platform)
    signing = Signing(platform, petition, label, args.rate, args.seconds)
    threads = signing.run()
    time.sleep(args.seconds / 3)
    fault_started = time.monotonic()
    fault(platform)
    fault_seconds = time.monotonic() - fault_started
    for thread in threads:
        thread.join()

    accepted = {address for address, status, _, _ in signing.outcomes if status == 202}
    refused = {address for address, status, _, _ in signing.outcomes if status != 202}
    # The seconds of the run in which someone got 503 or no answer at all.
    unavailable_seconds = {int(at) for _, status, error, at in signing.outcomes if status == 503 or error}
    problems = []

    def stored_all():
        rows = petition_rows(platform, petition)
        missing = len([address for address in accepted if address not in rows])
        return missing == 0, f"{missing} of {len(accepted)} accepted not stored"
    wait_until("the accepted signatures to be stored", stored_all, args.drain_timeout)
    rows = petition_rows(platform, petition)
    lost = sorted(address for address in accepted if address not in rows)
    duplicated = sorted(address for address, found in rows.items() if len(found) > 1)
    unexpected = sorted(address for address in rows if address not in accepted and address not in refused)
    if lost:
        problems.append(f"{len(lost)} accepted signatures not stored, e.g. {lost[0]}")
    if duplicated:
        problems.append(f"{len(duplicated)} signatures stored twice, e.g. {duplicated[0]}")
    if unexpected:
        problems.append(f"{len(unexpected)} stored signatures nobody sent")

    def mailed_all():
        mailbox.refresh()
        missing = len([address for address in rows if not mailbox.tokens.get(address)])
        return missing == 0, f"{missing} of {len(rows)} stored signatures without a confirmation mail"
    wait_until("the confirmation mails", mailed_all, args.drain_timeout)
    mails_missing = [address for address in rows if not mailbox.tokens.get(address)]
    mails_doubled = [address for address in rows if len(mailbox.tokens.get(address, [])) == 2]
    mails_more = [address for address in rows if len(mailbox.tokens.get(address, [])) > 2]
    if mails_missing:
        problems.append(f"{len(mails_missing)} confirmation mails missing, e.g. {mails_missing[0]}")
    if mails_more:
        problems.append(f"{len(mails_more)} addresses got more than two confirmation mails")

    # Each person confirms once, with the link of the first mail they got.
    connection = http.client.HTTPConnection(platform.host, platform.port, timeout=15)
    confirmations = collections.Counter()
    for address in rows:
        tokens = mailbox.tokens.get(address)
        if tokens:
            confirmations[platform.post_json(connection, "/api/v1/petitions/signatures/confirmation", {"token": tokens[0]})] += 1
    connection.close()
    if set(confirmations) - {202}:
        problems.append(f"confirmations answered {dict(confirmations)}")

    def counted_all():
        count, confirmed = platform.sql(
            f"SELECT p.signature_count - p.paper_count, (SELECT count(*) FROM petitions.signatures s "
            f"WHERE s.petition_id = p.id AND s.confirmed_at IS NOT NULL) FROM petitions.petitions p WHERE p.id = '{petition}'"
        )[0].split("|")
        return int(count) == int(confirmed) == confirmations[202], f"count {count}, confirmed rows {confirmed}, confirmed {confirmations[202]}"
    counted, detail = wait_until("the confirmations to be counted", counted_all, args.drain_timeout)
    if not counted:
        problems.append(f"count differs: {detail}")

    threshold_query = (
        "SELECT (SELECT count(*) FROM petitions.outbox WHERE message_type = 'petition.threshold_reached' "
        f"AND lower(convert_from(body, 'UTF8')::jsonb ->> 'petitionID') = '{petition}'), "
        f"(SELECT count(*) FROM notifications.staff_notifications WHERE title || ' ' || body LIKE '%{label}%')")
    expected_threshold = 1 if confirmations[202] >= args.threshold else 0

    def threshold_told():
        events, notices = (int(value) for value in platform.sql(threshold_query)[0].split("|"))
        return (events, notices) == (expected_threshold, expected_threshold), f"{events} threshold events, {notices} staff notifications"
    told, detail = wait_until("the threshold notification", threshold_told, args.drain_timeout)
    if not told:
        problems.append(f"threshold: {detail} (expected {expected_threshold} of each)")

    def caught_up():
        stuck = [f"{queue}: {messages}" for queue, messages in platform.queues() if messages and "dead" not in queue]
        for schema in OUTBOX_SCHEMAS:
            waiting = platform.number(f"SELECT count(*) FROM {schema}.outbox WHERE published_at IS NULL")
            if waiting:
                stuck.append(f"{schema}.outbox: {waiting}")
        undelivered = platform.sql("SELECT status || ': ' || count(*) FROM notifications.email_deliveries "
                                   "WHERE status IN ('pending', 'sending', 'failed') GROUP BY status")
        return not stuck and not undelivered, ", ".join(stuck + undelivered)
    drained, detail = wait_until("queues, outboxes and mails to drain", caught_up, args.drain_timeout)
    if not drained:
        problems.append(f"stuck: {detail}")
    dead = dead_letters(platform) - dead_before
    if dead:
        problems.append(f"{dead} new dead letters")

    # An error answer is fine only if the signature it stood for is stored at most once
    # (checked above for every address); how many of them got stored anyway is shown.
    return {
        "scenario": name, "run": run, "sent": len(signing.outcomes), "accepted": len(accepted),
        "errors": len(refused), "stored": len(rows), "lost": len(lost), "duplicated": len(duplicated),
        "errors_stored": len([address for address in refused if address in rows]),
        "mails_missing": len(mails_missing), "mails_doubled": len(mails_doubled),
        "threshold": f"{expected_threshold if told else '?'}", "unavailable": len(unavailable_seconds),
        "fault_seconds": fault_seconds, "problems": problems,
    }


class Monitoring:
    """A Prometheus of the suite's own: the services' operations ports and RabbitMQ's
    per-queue metrics every 2 s, with the production alert rules."""

    def __init__(self, args):
        self.folder = pathlib.Path(args.dir) / "prometheus"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.address = f"127.0.0.1:{args.prometheus_port}"
        rules = yaml.safe_load((MONITORING / "prometheus-rules.yaml").read_text())["spec"]
        (self.folder / "rules.yml").write_text(yaml.safe_dump(rules))
        targets = [{"targets": [f"127.0.0.1:{port}"], "labels": {"service": name}}
                   for name, port in (entry.split("=") for entry in args.metrics.split(","))]
        configuration = {
            "global": {"scrape_interval": "2s", "evaluation_interval": "2s"},
            "rule_files": ["rules.yml"],
            "scrape_configs": [
                {"job_name": "dialogue", "static_configs": targets},
                {"job_name": "dialogue-rabbitmq", "metrics_path": "/metrics/per-object",
                 "static_configs": [{"targets": [f"127.0.0.1:{args.rabbitmq_metrics_port}"]}]},
            ],
        }
        (self.folder / "prometheus.yml").write_text(yaml.safe_dump(configuration))
        self.log = open(self.folder / "prometheus.log", "a")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={self.folder / 'prometheus.yml'}", f"--storage.tsdb.path={self.folder / 'data'}",
             f"--web.listen-address={self.address}", "--log.level=warn"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
        )
        ready, _ = wait_until("Prometheus to be ready", self.ready, 30)
        if not ready:
            raise RuntimeError(f"Prometheus did not start; see {self.log.name}")
        self.started = time.time()

    def ready(self):
        try:
            with urllib.request.urlopen(f"http://{self.address}/-/ready", timeout=2) as response:
                return response.status == 200, "ready"
        except OSError as error:
            return False, str(error)

    def api(self, path, **parameters):
        url = f"http://{self.address}/api/v1/{path}?{urllib.parse.urlencode(parameters)}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            return json.load(error)

    def check(self):
        """Problems found in the dashboard's queries and the alert rules; prints each panel's
        query with its peak over the suite."""
        problems = []
        # One last scrape and rule evaluation after the last run.
        time.sleep(5)
        window = f"{int(time.time() - self.started) + 5}s"
        down = [target["labels"].get("service", target["labels"]["job"])
                for target in self.api("targets")["data"]["activeTargets"] if target["health"] != "up"]
        if down:
            problems.append(f"targets not scraped at the end: {', '.join(down)}")
        dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
        print("\nThe dashboard's queries, on what Prometheus scraped during the suite (peak over it):")
        for panel in walk_panels(dashboard["panels"]):
            for target in panel.get("targets", []):
                expression = target["expr"]
                answer = self.api("query", query=expression)
                if answer.get("status") != "success":
                    problems.append(f"panel « {panel['title']} »: {expression}: {answer.get('error')}")
                    continue
                series = len(answer["data"]["result"])
                peak = self.api("query", query=f"max(max_over_time(({expression})[{window}:2s]))")
                values = peak.get("data", {}).get("result", [])
                shown = f"{float(values[0]['value'][1]):.3g}" if values else "none"
                print(f"  {panel['title']}: {expression}\n      {series} series now, peak {shown}")
                if series == 0:
                    problems.append(f"panel « {panel['title']} » shows nothing: {expression}")
        rules = [rule for group in self.api("rules")["data"]["groups"] for rule in group["rules"]]
        expected = sum(len(group["rules"]) for group in yaml.safe_load((self.folder / "rules.yml").read_text())["groups"])
        if len(rules) != expected:
            problems.append(f"{len(rules)} alert rules loaded of {expected}")
        for rule in rules:
            if rule.get("health") != "ok":
                problems.append(f"alert {rule['name']}: {rule.get('health')} {rule.get('lastError', '')}")
        firing = sorted({f"{rule['name']} ({rule['state']})" for rule in rules if rule.get("state") in ("firing", "pending")})
        print(f"  {len(rules)} alert rules evaluated without error; pending or firing at the end: {', '.join(firing) or 'none'}")
        return problems

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def walk_panels(panels):
    for panel in panels:
        yield panel
        yield from walk_panels(panel.get("panels", []))


def restart_after_kill(service, down_seconds=2.0):
    def fault(platform):
        platform.fault("kill", service)
        time.sleep(down_seconds)
        platform.fault("start", service)
    return fault


SCENARIOS = {
    "kill-petitions-service": restart_after_kill("petitions-service"),
    "kill-notification-worker": restart_after_kill("notification-worker"),
    "kill-moderation-worker": restart_after_kill("moderation-worker"),
    "kill-gateway": restart_after_kill("gateway"),
    "restart-rabbitmq": lambda platform: platform.fault("restart-rabbitmq"),
    "restart-postgres": lambda platform: platform.fault("restart-postgres"),
    # Past the 20 s AMQP heartbeat: the broker drops the frozen consumer's connection and
    # takes back its unacknowledged messages; the service finds out when it wakes.
    "pause-petitions-service": lambda platform: platform.fault("pause", "petitions-service", 30),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--dir", required=True, help="the platform's folder (deploy/local/test's)")
    parser.add_argument("--bin", required=True, help="the folder of the built executables")
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--amqp-port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--mail-dir", required=True)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("FAULT_RUNS", "1")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("FAULT_SECONDS", "12")))
    parser.add_argument("--rate", type=float, default=float(os.environ.get("FAULT_RATE", "30")), help="signatures a second")
    parser.add_argument("--threshold", type=int, default=int(os.environ.get("FAULT_THRESHOLD", "25")))
    parser.add_argument("--drain-timeout", type=float, default=180)
    parser.add_argument("--scenarios", default=os.environ.get("FAULT_SCENARIOS", ",".join(SCENARIOS)))
    parser.add_argument("--metrics", help="name=operations port of each service, comma-separated: check the dashboard")
    parser.add_argument("--rabbitmq-metrics-port", type=int)
    parser.add_argument("--prometheus-port", type=int, default=9090)
    args = parser.parse_args()
    args.admin_password = os.environ["DIALOGUE_ADMIN_PASSWORD"]
    names = [name for name in args.scenarios.split(",") if name]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(unknown)} (known: {', '.join(SCENARIOS)})")

    platform = Platform(args)
    mailbox = Mailbox(platform.mail_dir)
    monitoring = Monitoring(args) if args.metrics else None
    header = ("scenario", "runs", "sent", "accepted", "stored", "lost", "duplicated", "errors stored",
              "mails missing", "mails doubled", "threshold notices", "s of 503/no answer")
    totals = collections.OrderedDict()
    failures = []
    print(f"Fault suite: {len(names)} scenarios x {args.runs} runs, {args.rate:.0f} signatures/s for {args.seconds:.0f} s each",
          flush=True)
    try:
        run_all(platform, mailbox, names, args, totals, failures)
        if monitoring:
            failures += [f"monitoring: {problem}" for problem in monitoring.check()]
    finally:
        if monitoring:
            monitoring.stop()
    print_table(header, totals)
    if failures:
        print("\nFAILED:", *failures, sep="\n  ", flush=True)
        sys.exit(1)
    print("\nEvery accepted signature stored once and mailed; counts, thresholds and queues as expected.")


def run_all(platform, mailbox, names, args, totals, failures):
    for name in names:
        for run in range(1, args.runs + 1):
            result = run_scenario(platform, mailbox, (name, SCENARIOS[name]), run, args)
            print(f"  {name} #{run}: sent {result['sent']}, accepted {result['accepted']}, stored {result['stored']}, "
                  f"errors {result['errors']} (stored {result['errors_stored']}), {result['unavailable']} s of 503/no answer, "
                  f"fault took {result['fault_seconds']:.1f} s" + ("" if not result["problems"] else
                                                                   " — " + "; ".join(result["problems"])), flush=True)
            failures += [f"{name} #{run}: {problem}" for problem in result["problems"]]
            total = totals.setdefault(name, collections.Counter())
            total["runs"] += 1
            for key in ("sent", "accepted", "stored", "lost", "duplicated", "errors_stored", "mails_missing",
                        "mails_doubled", "unavailable"):
                total[key] += result[key]
            total["threshold"] += int(result["threshold"]) if result["threshold"] != "?" else 0


def print_table(header, totals):
    widths = [max(len(header[0]), *(len(name) for name in totals))] + [len(title) for title in header[1:]]
    print()
    print("  ".join(title.ljust(width) for title, width in zip(header, widths)))
    for name, total in totals.items():
        cells = [name] + [str(total[key]) for key in ("runs", "sent", "accepted", "stored", "lost", "duplicated",
                                                       "errors_stored", "mails_missing", "mails_doubled", "threshold",
                                                       "unavailable")]
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths)))


if __name__ == "__main__":
    main()
