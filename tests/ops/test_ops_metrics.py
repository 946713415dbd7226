"""What Prometheus scrapes from a real SSM process: traffic, decisions, mail backlog.

Labels hold route templates, never the path a caller sent: a national number or a
mandate id in a label would be personal data in the monitoring system, and a new
time series for every person.
"""

import re
import time
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from .ops_support import JAN, JAN_ADDRESS, JANE, FakeIdentityProvider, ServiceProcess

pytestmark = pytest.mark.e2e

AN = "78042304657"
BACKLOG = "ssm_mail_outbox_backlog"
WAIT_SECONDS = 5.0
ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")


def _samples(text: str) -> list[Sample]:
    return [
        s for family in text_string_to_metric_families(text) for s in family.samples
    ]


def _value(samples: list[Sample], name: str, **labels: str) -> float | None:
    found = [
        s.value
        for s in samples
        if s.name == name and labels.items() <= s.labels.items()
    ]
    return sum(found) if found else None


def _forms(nrn: str) -> set[str]:
    return {nrn, f"{nrn[:2]}.{nrn[2:4]}.{nrn[4:6]}-{nrn[6:9]}.{nrn[9:]}"}


@pytest.fixture(scope="module")
def scraped(
    production_ssm: ServiceProcess, idp: FakeIdentityProvider
) -> dict[str, Any]:
    """Make a mandate and ask about it around its signing, then scrape /metrics."""
    service = idp.service_headers("myhandicap-api", "ssm:authorize")
    mandate = {
        "type": "MYHANDICAP",
        "role": "mandatary",
        "counterparty": {"national_number": JAN, **JAN_ADDRESS},
        "language": "nl",
        "accept_conditions": True,
        "counterparty_email": "jan.peters@example.org",
    }
    with httpx.Client(base_url=production_ssm.url, timeout=10) as client:

        def decide(resource: str) -> httpx.Response:
            question = {
                "subject": {"type": "person", "id": JANE},
                "action": {"name": "MYHANDICAP"},
                "resource": {"type": "person", "id": resource},
            }
            return client.post("/access/v1/evaluation", json=question, headers=service)

        answers = [decide(AN)]
        created = client.post(
            "/v1/mandates", json=mandate, headers=idp.person_headers()
        )
        assert created.status_code == 201, created.text
        mandate_id = created.json()["id"]
        answers.append(decide(JAN))
        signed = client.post(
            f"/v1/mandates/{mandate_id}/sign",
            json={"accept_conditions": True},
            headers=idp.person_headers(JAN),
        )
        assert signed.status_code == 200, signed.text
        answers.append(decide(JAN))
        mine = client.get(f"/v1/mandates/{mandate_id}", headers=idp.person_headers())
        not_theirs = client.get(
            f"/v1/mandates/{mandate_id}", headers=idp.person_headers(AN)
        )
        assert (mine.status_code, not_theirs.status_code) == (200, 404)
        client.get(f"/v1/persons/{JAN}")

        # The mail worker counts the outbox on each round; no mail server listens.
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            text = client.get("/metrics").text
            backlog = _value(_samples(text), BACKLOG) or 0.0
            if backlog >= 1 or time.monotonic() > deadline:
                break
            time.sleep(0.1)

    return {
        "text": text,
        "samples": _samples(text),
        "mandate_id": mandate_id,
        "decisions": [a.json()["decision"] for a in answers],
    }


def test_requests_are_counted_by_route_template_and_status(
    scraped: dict[str, Any],
) -> None:
    samples: list[Sample] = scraped["samples"]
    counted = {
        (s.labels["method"], s.labels["route"], s.labels["status"])
        for s in samples
        if s.name == "http_requests_total"
    }

    assert {
        ("POST", "/v1/mandates", "201"),
        ("POST", "/v1/mandates/{mandate_id}/sign", "200"),
        ("GET", "/v1/mandates/{mandate_id}", "200"),
        ("GET", "/v1/mandates/{mandate_id}", "404"),
        ("POST", "/access/v1/evaluation", "200"),
        ("GET", "unmatched", "404"),
    } <= counted
    evaluations = _value(
        samples, "http_requests_total", route="/access/v1/evaluation", status="200"
    )
    assert evaluations is not None
    assert evaluations >= 3


def test_latencies_are_histograms_by_route_template(scraped: dict[str, Any]) -> None:
    samples: list[Sample] = scraped["samples"]
    route = {"route": "/access/v1/evaluation", "status": "200"}
    buckets = {
        s.labels["le"]: s.value
        for s in samples
        if s.name == "http_request_duration_seconds_bucket"
        and route.items() <= s.labels.items()
    }

    assert len(buckets) > 5
    assert "+Inf" in buckets
    finite = sorted((float(le), n) for le, n in buckets.items() if le != "+Inf")
    counts = [n for _, n in finite]
    assert counts == sorted(counts)
    assert counts[-1] <= buckets["+Inf"]
    assert buckets["+Inf"] == _value(
        samples, "http_request_duration_seconds_count", **route
    )
    total = _value(samples, "http_request_duration_seconds_sum", **route)
    assert total is not None
    assert total > 0


def test_access_decisions_are_counted_by_outcome_and_reason(
    scraped: dict[str, Any],
) -> None:
    samples: list[Sample] = scraped["samples"]
    decided = {
        (s.labels["outcome"], s.labels["reason"])
        for s in samples
        if s.name == "authz_decisions_total" and s.value >= 1
    }

    assert scraped["decisions"] == [False, False, True]
    assert {("deny", "no_mandate"), ("deny", "pending"), ("allow", "active")} <= (
        decided
    )


def test_the_mail_outbox_backlog_is_a_gauge(scraped: dict[str, Any]) -> None:
    text: str = scraped["text"]

    assert f"# TYPE {BACKLOG} gauge" in text
    backlog = _value(scraped["samples"], BACKLOG)
    assert backlog is not None
    assert backlog >= 1


def test_no_national_number_or_mandate_id_is_in_the_metrics(
    scraped: dict[str, Any],
) -> None:
    text: str = scraped["text"]
    samples: list[Sample] = scraped["samples"]
    # Sample values are numbers; timestamps among them have many digits.
    named = [s.name for s in samples] + [v for s in samples for v in s.labels.values()]
    comments = [line for line in text.splitlines() if line.startswith("#")]

    assert [n for n in named + comments if ELEVEN_DIGITS.search(n)] == []
    for nrn in (JANE, JAN, AN):
        assert not [form for form in _forms(nrn) if form in text]
    assert scraped["mandate_id"] not in text
