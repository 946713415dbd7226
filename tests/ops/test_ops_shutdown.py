"""SIGTERM, as sent by an orchestrator, drains SSM: no answer in flight is lost.

The register answers slowly here, so that a person search is in flight when the
signal comes; it must still be answered in full, new connections must be refused,
and the process must end well within the graceful timeout.
"""

import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from ssm_api.migrate import upgrade

from .ops_support import (
    JAN,
    JAN_ADDRESS,
    FakeIdentityProvider,
    base_env,
    free_port,
    json_lines,
    start_service,
    wait_until_up,
)

pytestmark = pytest.mark.e2e

REGISTER_DELAY_SECONDS = 1.5
# What `ssm-api serve` gives requests in flight before it stops anyway.
GRACEFUL_TIMEOUT_SECONDS = 20.0
NEW_CONNECTION_AFTER_SECONDS = 0.5


@dataclass
class Drain:
    """What happened around one SIGTERM."""

    answer: httpx.Response | None = None
    error: BaseException | None = None
    answered_after: float | None = None
    refused_new: bool | None = None
    exited_after: float | None = None
    status: int | None = None
    events: list[dict[str, Any]] = field(default_factory=list)


def _search(url: str, headers: dict[str, str], drain: Drain, sent: float) -> None:
    try:
        with httpx.Client(base_url=url, timeout=15) as client:
            drain.answer = client.post(
                "/v1/persons/search",
                json={"national_number": JAN, **JAN_ADDRESS},
                headers=headers,
            )
            drain.answered_after = time.monotonic() - sent
    except BaseException as exc:  # reported by the tests, not in this thread
        drain.error = exc


def _connects(url: str) -> bool:
    try:
        with httpx.Client(timeout=2) as client:
            client.get(f"{url}/healthz")
    except httpx.TransportError:
        return False
    return True


@pytest.fixture(scope="module")
def drain(tmp_path_factory: pytest.TempPathFactory) -> Drain:
    directory = tmp_path_factory.mktemp("shutdown")
    database = f"sqlite+aiosqlite:///{directory / 'ssm.db'}"
    upgrade(database)
    result = Drain()
    with FakeIdentityProvider() as idp:
        env = (
            base_env()
            | idp.ssm_env()
            | {
                "SSM_ENVIRONMENT": "development",
                "SSM_LOG_FORMAT": "json",
                "SSM_DATABASE_URL": database,
                "SSM_SMTP_PORT": str(free_port()),
            }
        )
        process = start_service("ssm-api", env, directory)
        caller: threading.Thread | None = None
        try:
            wait_until_up(process)
            idp.register_delay = REGISTER_DELAY_SECONDS
            caller = threading.Thread(
                target=_search,
                args=(process.url, idp.person_headers(), result, time.monotonic()),
            )
            caller.start()
            assert idp.register_asked.wait(10), "the search never reached the register"
            signalled = time.monotonic()
            process.terminate()
            time.sleep(NEW_CONNECTION_AFTER_SECONDS)
            result.refused_new = not _connects(process.url)
            process.popen.wait(timeout=GRACEFUL_TIMEOUT_SECONDS + 5)
            result.exited_after = time.monotonic() - signalled
        finally:
            result.status = process.stop()
            if caller is not None:
                caller.join(timeout=15)
        result.events = json_lines(process.stderr_lines())
    return result


def test_the_answer_in_flight_arrives_complete(drain: Drain) -> None:
    assert drain.error is None, repr(drain.error)
    assert drain.answer is not None
    assert drain.answer.status_code == 200, drain.answer.text
    assert drain.answer.json() == {
        "national_number": JAN,
        "first_name": "Jan",
        "last_name": "Peters",
        "address": {**JAN_ADDRESS, "municipality": "Gent"},
    }
    assert drain.answered_after is not None
    assert drain.answered_after >= REGISTER_DELAY_SECONDS


def test_no_new_connection_is_taken_while_draining(drain: Drain) -> None:
    assert drain.refused_new is True


def test_the_process_ends_after_a_complete_shutdown(drain: Drain) -> None:
    events = [e["event"] for e in drain.events]

    assert drain.exited_after is not None
    assert drain.exited_after < GRACEFUL_TIMEOUT_SECONDS
    assert drain.status in {0, -signal.SIGTERM}
    access = [e for e in drain.events if e["event"] == "http.request"]
    assert [(e["route"], e["status"]) for e in access][-1] == (
        "/v1/persons/search",
        200,
    )
    assert events.index("Shutting down") < events.index(
        "Application shutdown complete."
    )
    assert events[-1].startswith("Finished server process")


def test_the_process_exits_zero_after_draining(drain: Drain) -> None:
    assert drain.status == 0
