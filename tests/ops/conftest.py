"""Fixtures of the operations tests: a clean environment, the fake provider, SSM."""

import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy.engine import URL

from service_kit.testing import fresh_database, postgres_required, postgres_server_url
from ssm_api.migrate import upgrade

from .ops_support import (
    PREFIXES,
    PRODUCTION_SECRETS,
    FakeIdentityProvider,
    ServiceProcess,
    base_env,
    free_port,
    running_service,
)


@pytest.fixture(autouse=True)
def _no_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings read in this process must come from the test, not the shell.
    for name in os.environ:
        if name.startswith(PREFIXES):
            monkeypatch.delenv(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def idp() -> Iterator[FakeIdentityProvider]:
    with FakeIdentityProvider() as fake:
        yield fake


@pytest.fixture(scope="session")
def production_ssm(
    idp: FakeIdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    """SSM configured as in production, on SQLite, its mail worker polling often.

    No mail server listens on its SMTP port, so mail stays in the outbox.
    """
    directory = tmp_path_factory.mktemp("production-ssm")
    database = f"sqlite+aiosqlite:///{directory / 'ssm.db'}"
    upgrade(database)
    env = (
        base_env()
        | idp.ssm_env()
        | PRODUCTION_SECRETS
        | {
            "SSM_ENVIRONMENT": "production",
            "SSM_DATABASE_URL": database,
            "SSM_SMTP_PORT": str(free_port()),
            "SSM_MAIL_POLL_SECONDS": "0.2",
        }
    )
    with running_service("ssm-api", env, directory) as process:
        yield process


def _unavailable(reason: object) -> None:
    if postgres_required():
        pytest.fail(f"PostgreSQL is required but unavailable: {reason}")
    pytest.skip(f"PostgreSQL is unavailable, so its tests are skipped: {reason}")


@pytest.fixture
def postgres_database() -> Iterator[tuple[URL, str]]:
    """Yield a PostgreSQL server's URL and that of a new, empty database on it."""
    stack = ExitStack()
    try:
        server = stack.enter_context(postgres_server_url())
        url = stack.enter_context(fresh_database(server, "ops_test"))
    except Exception as exc:
        stack.close()
        _unavailable(exc)
    with stack:
        yield server, url
