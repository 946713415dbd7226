from pathlib import Path

import pytest
from sqlalchemy import text

from service_kit.db import create_engine, reads_only

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_on_sqlite_a_reader_is_not_held_up_by_a_writer(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}")
    async with engine.begin() as setup:
        await setup.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY)"))
        await setup.execute(text("INSERT INTO item VALUES (1)"))
    reader_engine = reads_only(engine)

    async with engine.connect() as writer:
        await writer.begin()
        await writer.execute(text("INSERT INTO item VALUES (2)"))
        async with reader_engine.connect() as reader:
            seen = (await reader.execute(text("SELECT count(*) FROM item"))).scalar()
        await writer.commit()
    await engine.dispose()

    assert seen == 1


async def test_on_sqlite_the_journal_is_written_ahead(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}")

    async with engine.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
    await engine.dispose()

    assert mode == "wal"
