"""Demo dossiers from the identity stub's register, loaded once however often run."""

from datetime import UTC, datetime

import anyio
import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from identity_stub.testing import TokenMinter, stub_app_for
from myhandicap_api.adapters.unit_of_work import SqlUnitOfWork
from myhandicap_api.domain.access import AccessBasis
from myhandicap_api.migrations import upgrade
from myhandicap_api.seed import DEMO_PLAN, fetch_persons, seed_demo
from service_kit.db import create_engine

pytestmark = pytest.mark.anyio


async def read_register():
    minter = TokenMinter()
    transport = httpx.ASGITransport(app=stub_app_for(minter))
    async with httpx.AsyncClient(transport=transport) as client:
        return await fetch_persons(client, minter.issuer)


async def test_seeding_twice_makes_the_demo_dossiers_once(empty_database_url):
    await anyio.to_thread.run_sync(upgrade, empty_database_url)
    engine = create_engine(empty_database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    persons = await read_register()
    now = datetime.now(UTC)

    first = await seed_demo(sessions, persons, now)
    second = await seed_demo(sessions, persons, now)

    jane = next(p for p in persons if p.last_name == "Doe")
    async with SqlUnitOfWork(sessions) as uow:
        applications = await uow.dossiers.applications(jane.national_number)
    await engine.dispose()
    assert (first, second) == (len(DEMO_PLAN), 0)
    assert len(applications) == len(DEMO_PLAN[("Jane", "Doe")])
    assert {a.basis for a in applications} == {AccessBasis.OWN}


async def test_fetching_the_register_waits_for_the_provider_to_start():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("not yet", request=request)
        return httpx.Response(
            200,
            json=[
                {
                    "national_number": "1",
                    "first_name": "a",
                    "last_name": "b",
                    "extra": 1,
                }
            ],
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        persons = await fetch_persons(client, "http://idp.test/", attempts=3)

    assert [p.national_number for p in persons] == ["1"]
    assert calls[0].url == "http://idp.test/dev/persons"
