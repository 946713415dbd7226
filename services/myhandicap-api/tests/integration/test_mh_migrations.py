"""The migrations agree with the models, go down to nothing and up again."""

import asyncio
import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, pool
from sqlalchemy.ext.asyncio import create_async_engine

import myhandicap_api
from myhandicap_api.adapters.orm import Base
from myhandicap_api.migrations import downgrade, head_revision, upgrade
from service_kit.db import create_engine, database_revision

VERSIONS = Path(myhandicap_api.__file__).parent / "migrations" / "versions"
TABLES = {"dossier", "application", "access_log_entry"}


async def _inspect(url, check):
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(check)
    finally:
        await engine.dispose()


def differences(url):
    def compare(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    return asyncio.run(_inspect(url, compare))


def tables(url):
    return set(asyncio.run(_inspect(url, lambda c: inspect(c).get_table_names())))


def revision(url):
    async def read():
        engine = create_engine(url)
        try:
            return await database_revision(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_upgrade_matches_the_models_then_downgrade_and_upgrade_again(
    empty_database_url,
):
    url = empty_database_url

    upgrade(url)
    first_diff = differences(url)
    downgrade(url)
    after_downgrade = tables(url)
    upgrade(url)

    assert first_diff == []
    assert after_downgrade <= {"alembic_version"}
    assert tables(url) >= TABLES
    assert differences(url) == []
    assert revision(url) == head_revision()


def test_an_unmigrated_database_has_no_revision(empty_database_url):
    assert revision(empty_database_url) is None


def test_upgrade_makes_the_folder_of_a_sqlite_file(tmp_path):
    path = tmp_path / "var" / "nested" / "myhandicap.db"

    upgrade(f"sqlite+aiosqlite:///{path}")

    assert path.exists()


def test_revision_files_are_date_named_and_can_be_undone():
    files = sorted(VERSIONS.glob("*.py"))

    assert files
    for file in files:
        assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+\.py", file.name)
        source = file.read_text()
        assert "def downgrade() -> None:" in source
        assert "myhandicap_api" not in source
