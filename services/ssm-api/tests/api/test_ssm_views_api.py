from datetime import timedelta

import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..conftest import FrozenClock
from ..support import (
    BART,
    JAN,
    JANE,
    act,
    address_of,
    assert_invalid,
    bearer,
    create_mandate,
    listed,
    overview,
    read_mandate,
    sign,
)

pytestmark = pytest.mark.anyio

VIEWS = (
    "active",
    "to_sign",
    "awaiting_other_party",
    "awaiting_transfer",
    "scheduled",
    "history",
)


def only(view: str) -> dict[str, int]:
    return {name: int(name == view) for name in VIEWS}


async def views_of(
    client: httpx.AsyncClient, minter: TokenMinter, nrn: str
) -> dict[str, list[str]]:
    return {view: await listed(client, minter, nrn, view) for view in VIEWS}


async def test_both_parties_follow_a_mandate_from_pending_to_history(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter)
    pending = (await overview(ssm, minter, JANE), await overview(ssm, minter, JAN))
    await sign(ssm, minter, created["id"])
    active = (await overview(ssm, minter, JANE), await overview(ssm, minter, JAN))
    clock.current += timedelta(days=3)
    await act(ssm, minter, created["id"], "stop", JANE)

    history = (await overview(ssm, minter, JANE), await overview(ssm, minter, JAN))

    assert pending == (only("awaiting_other_party"), only("to_sign"))
    assert active == (only("active"), only("active"))
    assert history == (only("history"), only("history"))
    assert (await views_of(ssm, minter, JAN))["history"] == [created["id"]]


async def test_each_party_sees_a_pending_mandate_in_one_list(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)

    janes = await views_of(ssm, minter, JANE)
    jans = await views_of(ssm, minter, JAN)

    assert janes == {
        v: [created["id"]] if v == "awaiting_other_party" else [] for v in VIEWS
    }
    assert jans == {v: [created["id"]] if v == "to_sign" else [] for v in VIEWS}


async def test_a_third_person_sees_none_of_it(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await create_mandate(ssm, minter)

    counts = await overview(ssm, minter, BART)

    assert counts == dict.fromkeys(VIEWS, 0)


async def test_a_signed_mandate_starting_tomorrow_is_scheduled_then_active(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    created = await create_mandate(ssm, minter, start_date="2026-12-04")
    signed = await sign(ssm, minter, created["id"])
    scheduled = (await overview(ssm, minter, JANE), await overview(ssm, minter, JAN))
    clock.current += timedelta(days=1)

    tomorrow = await read_mandate(ssm, minter, created["id"])

    assert signed.json()["status"] == "scheduled"
    assert signed.json()["active_since"] == "2026-12-04"
    assert scheduled == (only("scheduled"), only("scheduled"))
    assert tomorrow["status"] == "active"
    assert await overview(ssm, minter, JAN) == only("active")


async def test_the_history_holds_every_final_status(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    refused = await create_mandate(ssm, minter)
    await act(ssm, minter, refused["id"], "refuse", JAN)
    withdrawn = await create_mandate(ssm, minter, start_date="2026-12-05")
    await act(ssm, minter, withdrawn["id"], "withdraw", JANE)
    bart = {"national_number": BART, **address_of(BART)}
    stopped = await create_mandate(ssm, minter, counterparty=bart)
    await sign(ssm, minter, stopped["id"], nrn=BART)
    await act(ssm, minter, stopped["id"], "stop", BART)
    ended = await create_mandate(ssm, minter, counterparty=bart, end_date="2026-12-05")
    await sign(ssm, minter, ended["id"], nrn=BART)
    expired = await create_mandate(ssm, minter, start_date="2027-06-01")
    clock.current += timedelta(days=30)

    history = await listed(ssm, minter, JANE, "history")
    statuses = {
        m: (await read_mandate(ssm, minter, m))["status"]
        for m in (refused["id"], withdrawn["id"], stopped["id"], ended["id"])
    }

    assert set(history) == {
        refused["id"],
        withdrawn["id"],
        stopped["id"],
        ended["id"],
        expired["id"],
    }
    assert statuses == {
        refused["id"]: "refused",
        withdrawn["id"]: "withdrawn",
        stopped["id"]: "stopped",
        ended["id"]: "ended",
    }
    assert (await read_mandate(ssm, minter, expired["id"]))["status"] == "expired"
    assert (await overview(ssm, minter, JANE))["history"] == 5


async def test_lists_show_the_newest_first(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    older = await create_mandate(ssm, minter)
    clock.current += timedelta(minutes=5)
    bart = {"national_number": BART, **address_of(BART)}
    newer = await create_mandate(ssm, minter, counterparty=bart)

    shown = await listed(ssm, minter, JANE, "awaiting_other_party")

    assert shown == [newer["id"], older["id"]]


async def test_nothing_awaits_transfer_for_myhandicap(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)
    await sign(ssm, minter, created["id"])

    shown = await listed(ssm, minter, JANE, "awaiting_transfer")

    assert shown == []


@pytest.mark.parametrize(
    "query", [pytest.param({"view": "mine"}, id="unknown"), pytest.param({}, id="none")]
)
async def test_a_list_needs_a_known_view(
    ssm: httpx.AsyncClient, minter: TokenMinter, query: dict[str, str]
) -> None:
    response = await ssm.get("/v1/mandates", params=query, headers=bearer(minter, JANE))

    assert_invalid(response, "view")
