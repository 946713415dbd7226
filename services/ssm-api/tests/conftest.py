"""Fixtures of the SSM tests: a clock, an identity stub, databases, the app."""

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

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
MUTABLE_TABLES = ("idempotency_key", "mandate_event", "search_attempt", "mandate")


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


@pytest.fixture
async def ssm(
    database_url: str, minter: TokenMinter, clock: FrozenClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings_for(database_url),
        keys=StaticKeys(minter.jwks),
        clock=clock,
        transport=httpx.ASGITransport(stub_app_for(minter)),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://ssm.test"
        ) as client,
    ):
        yield client
