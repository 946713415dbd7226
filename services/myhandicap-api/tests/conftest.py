"""Fixtures shared by every MyHandicap test: the event loop and the databases."""

from contextlib import ExitStack

import pytest

from service_kit.testing import fresh_database, postgres_required, postgres_server_url


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _unavailable(reason):
    if postgres_required():
        pytest.fail(f"PostgreSQL is required but unavailable: {reason}")
    pytest.skip(f"PostgreSQL is unavailable, so its tests are skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_server():
    stack = ExitStack()
    try:
        server = stack.enter_context(postgres_server_url())
    except Exception as exc:
        stack.close()
        _unavailable(exc)
    with stack:
        yield server


@pytest.fixture
def postgres_url(postgres_server):
    stack = ExitStack()
    try:
        url = stack.enter_context(fresh_database(postgres_server, "mh_test"))
    except Exception as exc:
        stack.close()
        _unavailable(exc)
    with stack:
        yield url


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def empty_database_url(request, tmp_path):
    """An empty database of each kind: a temporary SQLite file, a new PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'myhandicap.db'}"
    return request.getfixturevalue("postgres_url")
