import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

from identity_stub.testing import TokenMinter
from ssm_api.adapters.tables import OVERLAP_CONSTRAINT, Base, MandateRow
from ssm_api.migrate import upgrade

from ..conftest import StartSsm, fresh_postgres
from ..support import (
    JAN,
    JANE,
    JANE_ADDRESS,
    TODAY,
    act,
    assert_problem,
    bearer,
    create_mandate,
    mandate_body,
    sign,
)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def race_database() -> Iterator[str]:
    with fresh_postgres("ssm_race") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def engine(race_database: str) -> Iterator[Engine]:
    engine = create_engine(make_url(race_database).set(drivername="postgresql+psycopg"))
    yield engine
    engine.dispose()


@pytest.fixture
def empty_tables(engine: Engine) -> None:
    changing = [t.name for t in Base.metadata.sorted_tables if t.name != "mandate_type"]
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(changing)}"))


@pytest.fixture
async def client(
    race_database: str, empty_tables: None, start_ssm: StartSsm
) -> AsyncIterator[httpx.AsyncClient]:
    async with start_ssm(race_database) as client:
        yield client


def count_mandates(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(MandateRow)
        ).scalar_one()


@pytest.mark.anyio
async def test_of_50_signatures_at_once_exactly_one_succeeds(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(client, minter)

    answers = await asyncio.gather(
        *(sign(client, minter, created["id"]) for _ in range(50))
    )

    assert Counter(a.status_code for a in answers) == {200: 1, 409: 49}
    for refused in (a for a in answers if a.status_code == 409):
        problem = assert_problem(refused, 409, "transition-not-allowed")
        assert problem["mandate_status"] == "active"
    events = await client.get(
        f"/v1/mandates/{created['id']}/events", headers=bearer(minter, JANE)
    )
    assert [e["kind"] for e in events.json()] == ["created", "signed"]


@pytest.mark.anyio
async def test_of_a_signature_and_a_withdrawal_at_once_exactly_one_succeeds(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    # Ten mandates in consecutive periods, so that signed ones do not overlap.
    starts = [TODAY + timedelta(days=2 * n) for n in range(10)]
    created = [
        await create_mandate(
            client,
            minter,
            start_date=start.isoformat(),
            end_date=(start + timedelta(days=2)).isoformat(),
        )
        for start in starts
    ]

    outcomes = [
        await asyncio.gather(
            sign(client, minter, mandate["id"]),
            act(client, minter, mandate["id"], "withdraw", JANE),
        )
        for mandate in created
    ]

    for signing, withdrawal in outcomes:
        assert sorted([signing.status_code, withdrawal.status_code]) == [200, 409]
        winner = signing if signing.status_code == 200 else withdrawal
        loser = withdrawal if winner is signing else signing
        problem = assert_problem(loser, 409, "transition-not-allowed")
        assert problem["mandate_status"] == winner.json()["status"]


@pytest.mark.anyio
async def test_of_two_overlapping_creations_at_once_one_is_refused(
    client: httpx.AsyncClient, minter: TokenMinter, engine: Engine
) -> None:
    by_jan = mandate_body(
        role="mandator", counterparty={"national_number": JANE, **JANE_ADDRESS}
    )

    answers = await asyncio.gather(
        client.post("/v1/mandates", json=mandate_body(), headers=bearer(minter, JANE)),
        client.post("/v1/mandates", json=by_jan, headers=bearer(minter, JAN)),
    )

    assert sorted(a.status_code for a in answers) == [201, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert_problem(refused, 409, "overlapping-mandate")
    assert count_mandates(engine) == 1


@pytest.mark.anyio
async def test_the_loser_of_a_creation_race_is_told_which_mandate_won(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    by_jan = mandate_body(
        role="mandator", counterparty={"national_number": JANE, **JANE_ADDRESS}
    )

    answers = await asyncio.gather(
        client.post("/v1/mandates", json=mandate_body(), headers=bearer(minter, JANE)),
        client.post("/v1/mandates", json=by_jan, headers=bearer(minter, JAN)),
    )

    created = next(a for a in answers if a.status_code == 201)
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["overlapping_mandate_id"] == created.json()["id"]


@pytest.mark.anyio
async def test_retries_at_once_under_one_key_get_the_first_answer(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    for attempt in range(5):
        headers = bearer(minter, JANE) | {"Idempotency-Key": f"retry-{attempt}"}

        answers = await asyncio.gather(
            *(
                client.post("/v1/mandates", json=mandate_body(), headers=headers)
                for _ in "ab"
            )
        )

        assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
        assert answers[0].json()["id"] == answers[1].json()["id"]
        await act(client, minter, answers[0].json()["id"], "withdraw", JANE)


def mandate_row(**overrides: Any) -> dict[str, Any]:
    now = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    row: dict[str, Any] = {
        "id": "00000000-0000-4000-8000-000000000001",
        "type_code": "MYHANDICAP",
        "mandator_nrn": JAN,
        "mandator_first_name": "Jan",
        "mandator_last_name": "Peters",
        "mandator_kind": "natural_person",
        "mandatary_nrn": JANE,
        "mandatary_first_name": "Jane",
        "mandatary_last_name": "Doe",
        "mandatary_kind": "natural_person",
        "initiator": "mandatary",
        "start_date": date(2026, 12, 3),
        "end_date": None,
        "expires_on": date(2027, 1, 2),
        "reference": None,
        "language": "nl",
        "state": "pending",
        "mandatary_signed_at": now,
        "mandatary_sign_method": "itsme",
        "created_at": now,
        "version": 1,
    }
    return row | overrides


def insert_row(engine: Engine, **overrides: Any) -> None:
    with engine.begin() as connection:
        connection.execute(insert(MandateRow).values(mandate_row(**overrides)))


def test_the_database_itself_refuses_an_overlapping_pending_mandate(
    engine: Engine, empty_tables: None
) -> None:
    insert_row(engine, end_date=date(2027, 1, 1))

    with pytest.raises(IntegrityError) as refused:
        insert_row(
            engine,
            id="00000000-0000-4000-8000-000000000002",
            start_date=date(2026, 12, 31),
        )

    assert OVERLAP_CONSTRAINT in str(refused.value.orig)
    assert count_mandates(engine) == 1


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"start_date": date(2027, 1, 1)}, id="starting-on-the-end-date"),
        pytest.param({"state": "refused"}, id="refused"),
        pytest.param({"state": "stopped"}, id="stopped"),
        pytest.param(
            {"mandator_nrn": JANE, "mandatary_nrn": JAN}, id="other-direction"
        ),
    ],
)
def test_the_database_lets_in_what_does_not_overlap(
    engine: Engine, empty_tables: None, overrides: dict[str, Any]
) -> None:
    insert_row(engine, end_date=date(2027, 1, 1))

    insert_row(engine, id="00000000-0000-4000-8000-000000000002", **overrides)

    assert count_mandates(engine) == 2
