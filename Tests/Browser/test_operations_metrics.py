"""The metrics the operators' alerts and dashboard read (deploy/kubernetes/monitoring) exist on
the running services and move with real traffic: a signature through the API shows on the
gateway's accepted count and on petitions-service's stored count."""

import json
import os
import pathlib
import re
import urllib.request
import uuid

from conftest import wait_for
from test_moderation import api
from test_signing import published_petition

ROOT = pathlib.Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "kubernetes" / "monitoring"
SERVICES = ["gateway", "petitions-service", "survey-service", "consultation-service",
            "moderation-worker", "notification-worker", "synthesis-reporter"]
# Made at their first occurrence (a threshold crossed, a mail given up), which this run
# does not cause; deploy/check-manifests checks that the code defines them.
MADE_ON_FIRST_OCCURRENCE = {"dialogue_threshold_notifications_late_total",
                            "dialogue_threshold_notification_last_delay_seconds", "dialogue_mail_failed_total"}


def operations_port(service):
    port = int(os.environ[f"DIALOGUE_{service.upper().replace('-', '_')}_HTTP_PORT"])
    if service == "gateway":
        return int(os.environ.get("DIALOGUE_GATEWAY_OPERATIONS_PORT", port + 100))
    return port


def scrape(service):
    with urllib.request.urlopen(f"http://127.0.0.1:{operations_port(service)}/metrics", timeout=10) as response:
        return response.read().decode()


def value(text, metric, labels=""):
    """The sum of a metric's samples whose labels contain `labels`."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{metric}(\{{[^}}]*\}})?\s+(\S+)$", line)
        if match and labels in (match.group(1) or ""):
            total += float(match.group(2))
    return total


def used_metrics():
    rules = (MONITORING / "prometheus-rules.yaml").read_text(encoding="utf-8")
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text(encoding="utf-8"))
    expressions = rules + "\n".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    return {re.sub(r"_(bucket|sum|count)$", "", name) for name in re.findall(r"\b(dialogue_[a-z0-9_]+)", expressions)}


def test_the_dashboard_metrics_exist_and_count_a_signature(browser):
    petition_id = published_petition(browser, f"Des bancs à l'ombre place d'Armes {uuid.uuid4().hex[:6]}")
    accepted_before = value(scrape("gateway"), "dialogue_signatures_accepted_total")
    stored_before = value(scrape("petitions-service"), "dialogue_signatures_stored_total")

    status, body = api("POST", f"/api/v1/petitions/{petition_id}/signatures", body={
        "name": "Noé Lefebvre", "email": f"noe-{uuid.uuid4().hex[:8]}@exemple.fr", "postcode": "59800", "consent": True,
    })
    assert status == 202, body

    gateway = scrape("gateway")
    assert value(gateway, "dialogue_signatures_accepted_total") == accepted_before + 1
    assert value(gateway, "dialogue_http_responses_total", 'status_class="2xx"') >= 1
    wait_for(browser, lambda _: value(scrape("petitions-service"), "dialogue_signatures_stored_total") == stored_before + 1, timeout=20)

    exported = "\n".join(scrape(service) for service in SERVICES)
    missing = sorted(name for name in used_metrics() - MADE_ON_FIRST_OCCURRENCE
                     if not re.search(rf"^{name}(_bucket|_sum|_count)?[{{ ]", exported, re.MULTILINE))
    assert not missing, f"metrics used by the alerts or the dashboard but exported by no service: {missing}"
