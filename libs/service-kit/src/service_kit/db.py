"""Database engines for PostgreSQL and SQLite, and the readiness check they share."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, TypeDecorator, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names that migrations can rely on, the same in every service."""


class UtcDateTime(TypeDecorator[datetime]):
    """An instant kept in UTC and read back with its zone, also from SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Store instants in UTC; naive ones are refused."""
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            msg = "instants must carry a time zone"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Read instants back as aware UTC; SQLite drops the zone, and it was UTC."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


READS_ONLY = "service_kit_reads_only"


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
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers that never write need no write lock: in WAL mode they run beside
        # the one writer instead of queueing behind it.
        reads_only = connection.get_execution_options().get(READS_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def reads_only(engine: AsyncEngine) -> AsyncEngine:
    """Return the engine for transactions that only read, sharing its pool."""
    return engine.execution_options(**{READS_ONLY: True})


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
