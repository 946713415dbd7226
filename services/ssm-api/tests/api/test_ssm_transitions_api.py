from datetime import timedelta
from typing import Any

import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..conftest import FrozenClock
from ..support import (
    BART,
    JAN,
    JANE,
    act,
    assert_invalid,
    assert_problem,
    bearer,
    create_mandate,
    read_mandate,
    sign,
)

pytestmark = pytest.mark.anyio

UNKNOWN_ID = "7d1f4a52-3c1e-4e8a-9b0e-2f1d7a0c9e11"


def without_instance(problem: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in problem.items() if k != "instance"}


async def signed_mandate(
    client: httpx.AsyncClient, minter: TokenMinter, **overrides: Any
) -> dict[str, Any]:
    created = await create_mandate(client, minter, **overrides)
    response = await sign(client, minter, created["id"])
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_counterparty_signs_and_the_mandate_is_active(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter)
    clock.current += timedelta(hours=1)

    response = await ssm.post(
        f"/v1/mandates/{created['id']}/sign",
        json={"accept_conditions": True},
        headers=bearer(minter, JAN, method="eid"),
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "active"
    assert response.json()["active_since"] == "2026-12-03"
    assert response.json()["signatures"] == [
        {"role": "mandatary", "signed_at": "2026-12-03T11:00:00Z", "method": "itsme"},
        {"role": "mandator", "signed_at": "2026-12-03T12:00:00Z", "method": "eid"},
    ]


async def test_a_mandate_is_read_alike_by_both_parties(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)

    by_jane = await read_mandate(ssm, minter, created["id"], JANE)
    by_jan = await read_mandate(ssm, minter, created["id"], JAN)

    assert by_jane == by_jan == created


@pytest.mark.parametrize("suffix", ["", "/events"])
async def test_a_third_person_gets_what_an_unknown_id_gets(
    ssm: httpx.AsyncClient, minter: TokenMinter, suffix: str
) -> None:
    created = await create_mandate(ssm, minter)

    third = await ssm.get(
        f"/v1/mandates/{created['id']}{suffix}", headers=bearer(minter, BART)
    )
    unknown = await ssm.get(
        f"/v1/mandates/{UNKNOWN_ID}{suffix}", headers=bearer(minter, BART)
    )

    third_problem = assert_problem(third, 404, "mandate-not-found")
    unknown_problem = assert_problem(unknown, 404, "mandate-not-found")
    assert without_instance(third_problem) == without_instance(unknown_problem)
    assert created["id"] not in third.text.replace(third_problem["instance"], "")


@pytest.mark.parametrize("action", ["sign", "refuse", "withdraw", "stop"])
@pytest.mark.parametrize("signed", [False, True], ids=["pending", "active"])
async def test_a_third_person_cannot_act_and_learns_nothing(
    ssm: httpx.AsyncClient, minter: TokenMinter, action: str, signed: bool
) -> None:
    created = await create_mandate(ssm, minter)
    if signed:
        await sign(ssm, minter, created["id"])
    before = await read_mandate(ssm, minter, created["id"])

    third = await act(ssm, minter, created["id"], action, BART)
    unknown = await act(ssm, minter, UNKNOWN_ID, action, BART)

    third_problem = assert_problem(third, 404, "mandate-not-found")
    assert without_instance(third_problem) == without_instance(unknown.json())
    assert await read_mandate(ssm, minter, created["id"]) == before


async def test_the_history_tells_what_happened_and_by_whom(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter)
    clock.current += timedelta(hours=1)
    await sign(ssm, minter, created["id"])
    clock.current += timedelta(days=2)
    await act(ssm, minter, created["id"], "stop", JAN, {"accept_conditions": True})

    response = await ssm.get(
        f"/v1/mandates/{created['id']}/events", headers=bearer(minter, JANE)
    )

    assert response.status_code == 200
    assert response.json() == [
        {
            "kind": "created",
            "at": "2026-12-03T11:00:00Z",
            "by": "mandatary",
            "reason": None,
        },
        {
            "kind": "signed",
            "at": "2026-12-03T12:00:00Z",
            "by": "mandator",
            "reason": None,
        },
        {
            "kind": "stopped",
            "at": "2026-12-05T12:00:00Z",
            "by": "mandator",
            "reason": None,
        },
    ]


async def test_a_stop_records_who_stopped_when_and_why(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    signed = await signed_mandate(ssm, minter)
    clock.current += timedelta(days=10)

    response = await act(ssm, minter, signed["id"], "stop", JAN)
    events = await ssm.get(
        f"/v1/mandates/{signed['id']}/events", headers=bearer(minter, JAN)
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "stopped"
    assert response.json()["end_date"] == "2026-12-13"
    assert response.json()["active_since"] == "2026-12-03"
    assert response.json()["stop"] == {
        "at": "2026-12-13T11:00:00Z",
        "by": "mandator",
        "reason": "verhuisd",
    }
    assert events.json()[-1] == {
        "kind": "stopped",
        "at": "2026-12-13T11:00:00Z",
        "by": "mandator",
        "reason": "verhuisd",
    }


async def test_either_party_may_stop_a_scheduled_mandate(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    signed = await signed_mandate(ssm, minter, start_date="2027-01-01")

    response = await act(ssm, minter, signed["id"], "stop", JANE)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "stopped"
    assert response.json()["stop"]["by"] == "mandatary"
    assert response.json()["active_since"] is None


async def test_a_refusal_keeps_its_reason(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)

    response = await act(ssm, minter, created["id"], "refuse", JAN)
    events = await ssm.get(
        f"/v1/mandates/{created['id']}/events", headers=bearer(minter, JANE)
    )

    assert response.json()["status"] == "refused"
    assert events.json()[-1]["kind"] == "refused"
    assert events.json()[-1]["by"] == "mandator"
    assert events.json()[-1]["reason"] == "liever niet"


async def test_the_initiator_withdraws_a_pending_mandate(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)

    response = await act(ssm, minter, created["id"], "withdraw", JANE)

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


REFUSED_TRANSITIONS = [
    pytest.param([], "sign", JANE, "pending", id="initiator-signs"),
    pytest.param([], "refuse", JANE, "pending", id="initiator-refuses"),
    pytest.param([], "withdraw", JAN, "pending", id="counterparty-withdraws"),
    pytest.param([], "stop", JANE, "pending", id="stop-pending"),
    pytest.param([("sign", JAN)], "sign", JAN, "active", id="sign-twice"),
    pytest.param([("sign", JAN)], "refuse", JAN, "active", id="refuse-signed"),
    pytest.param([("sign", JAN)], "withdraw", JANE, "active", id="withdraw-signed"),
    pytest.param(
        [("sign", JAN), ("stop", JANE)], "stop", JAN, "stopped", id="stop-twice"
    ),
    pytest.param(
        [("sign", JAN), ("stop", JANE)], "sign", JAN, "stopped", id="sign-stopped"
    ),
    pytest.param([("refuse", JAN)], "sign", JAN, "refused", id="refuse-then-sign"),
    pytest.param([("refuse", JAN)], "withdraw", JANE, "refused", id="withdraw-refused"),
    pytest.param(
        [("withdraw", JANE)], "sign", JAN, "withdrawn", id="withdraw-then-sign"
    ),
    pytest.param(
        [("withdraw", JANE)], "refuse", JAN, "withdrawn", id="refuse-withdrawn"
    ),
]


@pytest.mark.parametrize(
    ("before", "action", "by", "mandate_status"), REFUSED_TRANSITIONS
)
async def test_a_transition_the_state_does_not_allow_is_409_with_the_status(
    ssm: httpx.AsyncClient,
    minter: TokenMinter,
    before: list[tuple[str, str]],
    action: str,
    by: str,
    mandate_status: str,
) -> None:
    created = await create_mandate(ssm, minter)
    for earlier_action, earlier_by in before:
        done = await act(ssm, minter, created["id"], earlier_action, earlier_by)
        assert done.status_code == 200, done.text
    unchanged = await read_mandate(ssm, minter, created["id"])

    response = await act(ssm, minter, created["id"], action, by)

    problem = assert_problem(response, 409, "transition-not-allowed")
    assert problem["mandate_status"] == mandate_status
    assert await read_mandate(ssm, minter, created["id"]) == unchanged


@pytest.mark.parametrize(
    ("action", "body", "field", "signed"),
    [
        pytest.param(
            "sign", {"accept_conditions": False}, "accept_conditions", False, id="sign"
        ),
        pytest.param("sign", {}, "accept_conditions", False, id="sign-without-body"),
        pytest.param(
            "stop", {"accept_conditions": False}, "accept_conditions", True, id="stop"
        ),
        pytest.param(
            "refuse", {"reason": "x" * 501}, "reason", False, id="long-reason"
        ),
        pytest.param(
            "sign",
            {"accept_conditions": True, "signature": "x"},
            "signature",
            False,
            id="unknown-field",
        ),
    ],
)
async def test_an_invalid_transition_body_is_422_and_changes_nothing(
    ssm: httpx.AsyncClient,
    minter: TokenMinter,
    action: str,
    body: dict[str, Any],
    field: str,
    signed: bool,
) -> None:
    created = await create_mandate(ssm, minter)
    if signed:
        await sign(ssm, minter, created["id"])
    unchanged = await read_mandate(ssm, minter, created["id"])

    response = await act(ssm, minter, created["id"], action, JAN, body)

    assert_invalid(response, field)
    assert await read_mandate(ssm, minter, created["id"]) == unchanged


async def test_a_pending_mandate_expires_after_30_days(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter)
    clock.current += timedelta(days=29)
    on_day_29 = await read_mandate(ssm, minter, created["id"])
    clock.current += timedelta(days=1)

    on_day_30 = await read_mandate(ssm, minter, created["id"])
    signing = await sign(ssm, minter, created["id"])

    assert on_day_29["status"] == "pending"
    assert on_day_30["status"] == "expired"
    problem = assert_problem(signing, 409, "transition-not-allowed")
    assert problem["mandate_status"] == "expired"


async def test_a_mandate_signed_on_day_29_is_active(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter)
    clock.current += timedelta(days=29)

    response = await sign(ssm, minter, created["id"])

    assert response.json()["status"] == "active"
    assert response.json()["active_since"] == "2027-01-01"


async def test_a_pending_mandate_expires_when_its_end_date_comes(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter, end_date="2026-12-10")
    clock.current += timedelta(days=7)

    response = await sign(ssm, minter, created["id"])

    problem = assert_problem(response, 409, "transition-not-allowed")
    assert problem["mandate_status"] == "expired"


async def test_a_mandate_ends_on_its_end_date(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    signed = await signed_mandate(ssm, minter, end_date="2026-12-10")
    clock.current += timedelta(days=6)
    on_the_last_day = await read_mandate(ssm, minter, signed["id"])
    clock.current += timedelta(days=1)

    on_the_end_date = await read_mandate(ssm, minter, signed["id"])
    stopping = await act(ssm, minter, signed["id"], "stop", JANE)

    assert on_the_last_day["status"] == "active"
    assert on_the_end_date["status"] == "ended"
    assert on_the_end_date["end_date"] == "2026-12-10"
    problem = assert_problem(stopping, 409, "transition-not-allowed")
    assert problem["mandate_status"] == "ended"


async def test_the_day_turns_at_midnight_in_brussels(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    signed = await signed_mandate(ssm, minter, end_date="2026-12-10")
    clock.current = clock.current.replace(day=9, hour=22, minute=59)
    before_midnight = await read_mandate(ssm, minter, signed["id"])
    clock.current = clock.current.replace(hour=23, minute=0)

    after_midnight = await read_mandate(ssm, minter, signed["id"])

    assert before_midnight["status"] == "active"
    assert after_midnight["status"] == "ended"
