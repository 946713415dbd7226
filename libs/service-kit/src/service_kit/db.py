"""Database engines for PostgreSQL and SQLite, and the readiness check they share."""

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """Create an async engine; SQLite gets foreign keys and serialised writers."""
    if make_url(url).get_backend_name() != "sqlite":
        options.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **options)
    engine = create_async_engine(url, connect_args={"timeout": 30}, **options)
    _serialise_sqlite_transactions(engine)
    return engine


def _serialise_sqlite_transactions(engine: AsyncEngine) -> None:
    # SQLite's deferred transactions fail at once, instead of waiting, when a reader
    # later wants to write while another connection writes. Taking the write lock at
    # BEGIN makes every transaction wait its turn for up to the busy timeout.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


async def database_revision(engine: AsyncEngine) -> str | None:
    """Return the Alembic revision the database is at, or None when unmigrated."""
    async with engine.connect() as connection:
        has_table = await connection.run_sync(
            lambda sync: sync.dialect.has_table(sync, "alembic_version")
        )
        if not has_table:
            return None
        result = await connection.execute(
            text("SELECT version_num FROM alembic_version")
        )
        return result.scalar_one_or_none()


async def migration_gap(
    engine: AsyncEngine, head: str, earlier: frozenset[str]
) -> str | None:
    """Return why the database cannot serve this code, or None when it can.

    The database serves the code at the code's head revision, and also at a revision
    the code does not know: a newer release's migration job got there first. Its
    migrations only add what the running release can ignore, so that release keeps
    serving through a rolling update instead of going unready all at once.
    """
    revision = await database_revision(engine)
    if revision is None:
        return "database not migrated"
    if revision in earlier:
        return f"database at revision {revision}, behind {head}"
    return None
