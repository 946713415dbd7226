"""What an operator reads on a real SSM process's stderr, and the request ids in it.

In production every line is one JSON event that a log shipper can parse; in
development lines are for people. Each request carries an id, given by the caller or
made up, that comes back in `X-Request-ID` and is on every event of that request.
"""

import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from ssm_api.migrate import upgrade

from .ops_support import (
    JAN,
    JAN_ADDRESS,
    PRODUCTION_SECRETS,
    FakeIdentityProvider,
    ServiceProcess,
    base_env,
    json_lines,
    leaked,
    running_service,
)

pytestmark = pytest.mark.e2e

WAIT_SECONDS = 5.0
ANSI_ESCAPE = "\x1b["


def _wait_for(process: ServiceProcess, found: Callable[[list[str]], bool]) -> list[str]:
    """Return stderr's lines once found() holds for them; the access event of a
    request is written just after its answer, so it may come a moment later."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        lines = process.stderr_lines()
        if found(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def _request_events(
    process: ServiceProcess, request_ids: set[str]
) -> list[dict[str, Any]]:
    def logged(lines: list[str]) -> bool:
        access = [line for line in lines if '"http.request"' in line]
        return all(any(f'"{rid}"' in line for line in access) for rid in request_ids)

    return json_lines(_wait_for(process, logged))


def test_production_logs_are_one_json_event_per_line(
    production_ssm: ServiceProcess, idp: FakeIdentityProvider
) -> None:
    person = idp.person_headers()
    with httpx.Client(base_url=production_ssm.url, timeout=10) as client:
        responses = [
            client.get("/v1/mandate-types", headers=person),
            client.get("/v1/mandate-types"),
            client.post(
                "/v1/persons/search",
                json={"national_number": JAN, **JAN_ADDRESS},
                headers=person,
            ),
            client.get("/v1/mandates", params={"view": "nonsense"}, headers=person),
            client.get("/no/such/route"),
        ]
    request_ids = {r.headers["x-request-id"] for r in responses}

    events = _request_events(production_ssm, request_ids)

    assert [r.status_code for r in responses] == [200, 401, 200, 422, 404]
    for event in events:
        assert {"event", "level", "timestamp"} <= event.keys(), event
        assert event["level"] in {"debug", "info", "warning", "error", "critical"}
        assert datetime.fromisoformat(event["timestamp"]).utcoffset() is not None
    access = [e for e in events if e["event"] == "http.request"]
    assert all(isinstance(e.get("request_id"), str) for e in access)
    logged = {e["request_id"]: (e["route"], e["status"]) for e in access}
    for response in responses:
        request_id = response.headers["x-request-id"]
        assert logged[request_id][1] == response.status_code
    assert logged[responses[2].headers["x-request-id"]][0] == "/v1/persons/search"
    assert logged[responses[4].headers["x-request-id"]][0] == "unmatched"
    assert production_ssm.stdout_path.read_text() == ""
    stderr = production_ssm.stderr_path.read_text()
    assert leaked(stderr, list(PRODUCTION_SECRETS.values())) == []


def test_a_given_request_id_comes_back_and_is_logged(
    production_ssm: ServiceProcess, idp: FakeIdentityProvider
) -> None:
    given = "ops-trace-7f3a.1:b_2"
    with httpx.Client(base_url=production_ssm.url, timeout=10) as client:
        response = client.get(
            "/v1/mandate-types",
            headers=idp.person_headers() | {"X-Request-ID": given},
        )

    events = _request_events(production_ssm, {given})

    assert response.status_code == 200
    assert response.headers["x-request-id"] == given
    (access,) = [
        e for e in events if e["event"] == "http.request" and e["request_id"] == given
    ]
    assert access["route"] == "/v1/mandate-types"
    assert access["status"] == 200
    assert access["method"] == "GET"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param({}, id="absent"),
        pytest.param({"X-Request-ID": "not a valid id"}, id="invalid"),
        pytest.param({"X-Request-ID": "x" * 129}, id="too-long"),
    ],
)
def test_a_request_id_is_made_when_none_usable_is_given(
    production_ssm: ServiceProcess, header: dict[str, str]
) -> None:
    with httpx.Client(base_url=production_ssm.url, timeout=10) as client:
        response = client.get("/no/such/route", headers=header)
    made = response.headers["x-request-id"]

    events = _request_events(production_ssm, {made})

    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert [e["route"] for e in events if e.get("request_id") == made] == ["unmatched"]


@pytest.fixture(scope="module")
def development_ssm(
    idp: FakeIdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    directory = tmp_path_factory.mktemp("development-ssm")
    database = f"sqlite+aiosqlite:///{directory / 'ssm.db'}"
    upgrade(database)
    env = (
        base_env()
        | idp.ssm_env()
        | {
            "SSM_ENVIRONMENT": "development",
            "SSM_DATABASE_URL": database,
            "SSM_MAIL_DISPATCHER_ENABLED": "false",
        }
    )
    with running_service("ssm-api", env, directory) as process:
        yield process


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def test_development_logs_are_lines_for_people(
    development_ssm: ServiceProcess, idp: FakeIdentityProvider
) -> None:
    given = "dev-readable-1"
    with httpx.Client(base_url=development_ssm.url, timeout=10) as client:
        response = client.get(
            "/v1/mandate-types",
            headers=idp.person_headers() | {"X-Request-ID": given},
        )

    def logged(line: str) -> bool:
        return "http.request" in line and f"request_id={given}" in line

    lines = _wait_for(development_ssm, lambda lines: any(map(logged, lines)))

    assert response.status_code == 200
    assert response.headers["x-request-id"] == given
    assert lines
    assert not [line for line in lines if _is_json(line)]
    assert not [line for line in lines if ANSI_ESCAPE in line]
    (access,) = filter(logged, lines)
    assert "route=/v1/mandate-types" in access
    assert "status=200" in access
    assert access.split()[0].endswith("Z")
    assert any("Application startup complete" in line for line in lines)
