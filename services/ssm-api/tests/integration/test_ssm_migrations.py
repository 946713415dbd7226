from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from ssm_api.adapters.tables import Base
from ssm_api.migrate import downgrade, head_revision, upgrade

from ..conftest import fresh_postgres

TABLES = set(Base.metadata.tables)
SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    with fresh_postgres("ssm_mig") as url:
        yield url


@pytest.fixture
def inspected(empty_database: str) -> Iterator[Engine]:
    """A synchronous engine on the same database, to look at what is there."""
    url = make_url(empty_database)
    engine = create_engine(url.set(drivername=SYNC_DRIVERS[url.get_backend_name()]))
    yield engine
    engine.dispose()


def differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT version_num FROM alembic_version")
        ).scalar()


def catalogue(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT code FROM mandate_type")).scalars())


def test_upgrade_to_head_builds_the_schema_of_the_models(
    empty_database: str, inspected: Engine
) -> None:
    upgrade(empty_database)

    assert tables(inspected) == TABLES | {"alembic_version"}
    assert {"mandate", "mandate_event", "idempotency_key"} <= TABLES
    assert revision(inspected) == head_revision()
    assert catalogue(inspected) == ["MYHANDICAP"]
    assert differences(inspected) == []


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(
    empty_database: str, inspected: Engine
) -> None:
    upgrade(empty_database)

    downgrade(empty_database)
    after_downgrade = tables(inspected)
    upgrade(empty_database)

    assert after_downgrade == {"alembic_version"}
    assert tables(inspected) == TABLES | {"alembic_version"}
    assert catalogue(inspected) == ["MYHANDICAP"]
    assert differences(inspected) == []
