"""Fixtures of the SSM tests: a clock, an identity stub, databases, the app."""

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    ExitStack,
    asynccontextmanager,
    contextmanager,
)
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from identity_stub.testing import TokenMinter, stub_app_for
from service_kit.jwks import StaticKeys
from service_kit.testing import fresh_database, postgres_required, postgres_server_url
from ssm_api.api.app import create_app
from ssm_api.config import Settings
from ssm_api.migrate import upgrade

IDP = "http://idp.test"
MUTABLE_TABLES = (
    "idempotency_key",
    "mandate_event",
    "search_attempt",
    "outbox_message",
    "mandate_contact",
    "mandate",
)


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def minter() -> TokenMinter:
    return TokenMinter(issuer=IDP)


@pytest.fixture
def clock() -> FrozenClock:
    # Noon in Brussels on an ordinary Thursday.
    return FrozenClock(datetime(2026, 12, 3, 11, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ssm") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@contextmanager
def fresh_postgres(prefix: str) -> Iterator[str]:
    """Yield the URL of an empty database of its own, or skip when there is none."""
    stack = ExitStack()
    try:
        server = stack.enter_context(postgres_server_url())
        url = stack.enter_context(fresh_database(server, prefix))
    except Exception as exc:
        stack.close()
        if postgres_required():
            pytest.fail(f"PostgreSQL is required but unavailable: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    with stack:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    try:
        with postgres_server_url() as server, fresh_database(server, "ssm_test") as url:
            upgrade(url)
            yield url
    except Exception as exc:
        if postgres_required():
            pytest.fail(f"PostgreSQL is required but unavailable: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """Return a migrated SQLite database of the test's own."""
    path = tmp_path / "ssm.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "ssm.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(url.replace("+psycopg", "+psycopg"))
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(MUTABLE_TABLES)}"))
    engine.dispose()


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "oidc_issuer": IDP,
        "register_url": f"{IDP}/register",
        "token_url": f"{IDP}/token",
        "search_rate_limit": 1000,
    }
    return Settings.model_validate(values | overrides)


@asynccontextmanager
async def running_ssm(
    settings: Settings, minter: TokenMinter, clock: FrozenClock, **app_options: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """Run SSM in process, with the stub as register, and yield a client of it."""
    options: dict[str, Any] = {
        "keys": StaticKeys(minter.jwks),
        "clock": clock,
        "transport": httpx.ASGITransport(stub_app_for(minter)),
    }
    app = create_app(settings, **(options | app_options))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://ssm.test"
        ) as client,
    ):
        yield client


StartSsm = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def start_ssm(minter: TokenMinter, clock: FrozenClock) -> StartSsm:
    """Return a starter of SSM on a database, with settings or app options changed.

    `start_ssm(url, search_rate_limit=2)` changes a setting; keyword arguments named
    like those of `create_app` (keys, register, clock, transport) replace those.
    """

    def start(
        database_url: str, **overrides: Any
    ) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        app_options = {k: overrides.pop(k) for k in APP_OPTIONS if k in overrides}
        settings = settings_for(database_url, **overrides)
        return running_ssm(settings, minter, clock, **app_options)

    return start


APP_OPTIONS = ("keys", "register", "clock", "transport")


@pytest.fixture
async def ssm(
    database_url: str, minter: TokenMinter, clock: FrozenClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_ssm(settings_for(database_url), minter, clock) as client:
        yield client
