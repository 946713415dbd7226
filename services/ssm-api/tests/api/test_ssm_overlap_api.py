from typing import Any

import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..conftest import FrozenClock
from ..support import (
    BART,
    JAN,
    JANE,
    JANE_ADDRESS,
    act,
    address_of,
    assert_problem,
    bearer,
    create_mandate,
    listed,
    mandate_body,
    sign,
)

pytestmark = pytest.mark.anyio


async def post_mandate(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    body: dict[str, Any],
    nrn: str = JANE,
    key: str | None = None,
) -> httpx.Response:
    headers = bearer(minter, nrn)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post("/v1/mandates", json=body, headers=headers)


def jan_as_mandatary_for_jane() -> dict[str, Any]:
    counterparty = {"national_number": JANE, **JANE_ADDRESS}
    return mandate_body(role="mandatary", counterparty=counterparty)


def jan_as_mandator_for_jane() -> dict[str, Any]:
    counterparty = {"national_number": JANE, **JANE_ADDRESS}
    return mandate_body(role="mandator", counterparty=counterparty)


async def test_an_overlapping_mandate_is_409_naming_the_other(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    first = await create_mandate(ssm, minter)

    response = await post_mandate(ssm, minter, mandate_body(reference="bis"))

    problem = assert_problem(response, 409, "overlapping-mandate")
    assert problem["overlapping_mandate_id"] == first["id"]
    assert await listed(ssm, minter, JANE, "awaiting_other_party") == [first["id"]]


async def test_the_other_party_creating_the_same_mandate_overlaps_too(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    first = await create_mandate(ssm, minter)
    await sign(ssm, minter, first["id"])

    response = await post_mandate(ssm, minter, jan_as_mandator_for_jane(), nrn=JAN)

    problem = assert_problem(response, 409, "overlapping-mandate")
    assert problem["overlapping_mandate_id"] == first["id"]


async def test_the_opposite_direction_is_another_mandate(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await create_mandate(ssm, minter)

    response = await post_mandate(ssm, minter, jan_as_mandatary_for_jane(), nrn=JAN)

    assert response.status_code == 201, response.text


async def test_an_overlap_with_a_mandate_of_others_is_no_overlap(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await create_mandate(ssm, minter)

    response = await post_mandate(ssm, minter, mandate_body(), nrn=BART)

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("period", "overlapping"),
    [
        pytest.param({"start_date": "2027-01-01"}, False, id="starts-on-the-end"),
        pytest.param({"start_date": "2026-12-31"}, True, id="starts-the-day-before"),
        pytest.param({"start_date": "2027-02-01"}, False, id="starts-later"),
        pytest.param({"end_date": "2026-12-04"}, True, id="ends-inside"),
    ],
)
async def test_the_end_date_is_exclusive(
    ssm: httpx.AsyncClient,
    minter: TokenMinter,
    period: dict[str, str],
    overlapping: bool,
) -> None:
    first = await create_mandate(ssm, minter, end_date="2027-01-01")
    await sign(ssm, minter, first["id"])

    response = await post_mandate(ssm, minter, mandate_body(**period))

    assert response.status_code == (409 if overlapping else 201), response.text


@pytest.mark.parametrize(
    ("action", "by"),
    [
        pytest.param("refuse", JAN, id="refused"),
        pytest.param("withdraw", JANE, id="withdrawn"),
    ],
)
async def test_a_refused_or_withdrawn_mandate_no_longer_overlaps(
    ssm: httpx.AsyncClient, minter: TokenMinter, action: str, by: str
) -> None:
    first = await create_mandate(ssm, minter)
    await act(ssm, minter, first["id"], action, by)

    response = await post_mandate(ssm, minter, mandate_body(reference="bis"))

    assert response.status_code == 201, response.text


async def test_a_stopped_mandate_no_longer_overlaps(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    first = await create_mandate(ssm, minter)
    await sign(ssm, minter, first["id"])
    await act(ssm, minter, first["id"], "stop", JAN)

    response = await post_mandate(ssm, minter, mandate_body(reference="bis"))

    assert response.status_code == 201, response.text


async def test_an_expired_mandate_no_longer_overlaps_and_is_recorded_as_expired(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    first = await create_mandate(ssm, minter)
    clock.current = clock.current.replace(year=2027, month=1, day=2)

    response = await post_mandate(ssm, minter, mandate_body(reference="bis"))
    events = await ssm.get(
        f"/v1/mandates/{first['id']}/events", headers=bearer(minter, JANE)
    )

    assert response.status_code == 201, response.text
    assert [e["kind"] for e in events.json()] == ["created", "expired"]
    assert events.json()[1]["by"] is None


async def test_a_retry_with_the_same_key_returns_the_first_mandate(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    first = await post_mandate(ssm, minter, mandate_body(), key="k-1")

    retry = await post_mandate(ssm, minter, mandate_body(), key="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert await listed(ssm, minter, JANE, "awaiting_other_party") == [
        first.json()["id"]
    ]


async def test_a_retry_after_the_other_party_signed_returns_the_same_mandate(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    first = await post_mandate(ssm, minter, mandate_body(), key="k-1")
    await sign(ssm, minter, first.json()["id"])

    retry = await post_mandate(ssm, minter, mandate_body(), key="k-1")

    assert retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json()["status"] == "active"


async def test_the_same_key_with_another_body_is_422(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    first = await post_mandate(ssm, minter, mandate_body(), key="k-1")

    other = await post_mandate(ssm, minter, mandate_body(reference="x"), key="k-1")

    problem = assert_problem(other, 422, "idempotency-key-reused")
    assert [e["field"] for e in problem["errors"]] == ["Idempotency-Key"]
    assert await listed(ssm, minter, JANE, "awaiting_other_party") == [
        first.json()["id"]
    ]


async def test_keys_of_different_callers_are_independent(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    janes = await post_mandate(ssm, minter, mandate_body(), key="k-1")

    barts = await post_mandate(ssm, minter, mandate_body(), nrn=BART, key="k-1")

    assert janes.status_code == barts.status_code == 201
    assert barts.json()["id"] != janes.json()["id"]
    assert barts.json()["mandatary"]["national_number"] == BART


async def test_a_new_key_makes_a_new_request(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await post_mandate(ssm, minter, mandate_body(), key="k-1")

    second = await post_mandate(ssm, minter, mandate_body(), key="k-2")

    assert_problem(second, 409, "overlapping-mandate")


async def test_a_refused_creation_remembers_no_key(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    counterparty = {"national_number": JAN, **address_of(BART)}
    await post_mandate(ssm, minter, mandate_body(counterparty=counterparty), key="k")

    corrected = await post_mandate(ssm, minter, mandate_body(), key="k")

    assert corrected.status_code == 201, corrected.text


async def test_an_overlong_key_is_422(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await post_mandate(ssm, minter, mandate_body(), key="k" * 256)

    problem = assert_problem(response, 422, "invalid-input")
    assert [e["field"] for e in problem["errors"]] == ["Idempotency-Key"]
