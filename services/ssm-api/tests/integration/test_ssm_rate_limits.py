from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from service_kit.db import create_engine
from ssm_api.adapters.repository import SqlRateLimits
from ssm_api.adapters.tables import SearchAttemptRow

pytestmark = pytest.mark.anyio

NOON = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


async def test_the_window_slides_and_forgets_everyone_s_old_attempts(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    sessions = async_sessionmaker(engine)

    async with sessions.begin() as session:
        limits = SqlRateLimits(session)
        first = [await limits.hit("alice", NOON, 2, 60) for _ in range(3)]
    async with sessions.begin() as session:
        later = await SqlRateLimits(session).hit(
            "bob", NOON + timedelta(seconds=61), 2, 60
        )
        kept = await session.scalar(select(func.count()).select_from(SearchAttemptRow))
    await engine.dispose()

    assert first[:2] == [0.0, 0.0]
    assert first[2] == 60.0
    assert later == 0.0
    assert kept == 1
