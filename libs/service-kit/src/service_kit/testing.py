"""Test support shared by the services: a PostgreSQL server to test against.

The URL comes from TEST_DATABASE_URL; without it, testcontainers starts one where a
Docker engine runs; else PostgreSQL tests are skipped and say why. With
REQUIRE_POSTGRES=1 (as in CI), a missing server fails the run instead.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


class PostgresUnavailableError(Exception):
    """No PostgreSQL server could be found or started."""


@contextmanager
def postgres_server_url() -> Iterator[URL]:
    """Yield the URL of a PostgreSQL server, starting a container if need be."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        yield make_url(configured).set(drivername="postgresql+psycopg")
        return
    if not (os.environ.get("DOCKER_HOST") or Path("/var/run/docker.sock").exists()):
        msg = "TEST_DATABASE_URL is unset and no Docker engine runs here"
        raise PostgresUnavailableError(msg)
    try:
        # Imported here: testcontainers is a test dependency, absent from images.
        from testcontainers.community.postgres import PostgresContainer  # noqa: PLC0415

        container = PostgresContainer("postgres:16-alpine", driver="psycopg")
        container.start()
    except Exception as exc:
        msg = f"TEST_DATABASE_URL is unset and no container could start ({exc})"
        raise PostgresUnavailableError(msg) from exc
    try:
        yield make_url(container.get_connection_url())
    finally:
        container.stop()


@contextmanager
def fresh_database(server: URL, prefix: str) -> Iterator[str]:
    """Create an empty database on the server, yield its async URL, then drop it."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        server.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection, suppress(Exception):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_required() -> bool:
    """Tell whether a missing PostgreSQL server must fail the run, not skip tests."""
    return os.environ.get("REQUIRE_POSTGRES") == "1"
