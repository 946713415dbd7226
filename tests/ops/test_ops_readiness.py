"""/readyz tells an orchestrator whether traffic may come: database reachable, migrated.

/healthz, meanwhile, stays 200: a database away is no reason to restart a process.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from identity_stub.testing import TokenMinter
from myhandicap_api.api.app import create_app
from myhandicap_api.config import Settings
from myhandicap_api.migrations import upgrade
from service_kit.jwks import StaticKeys

from .ops_support import FakeIdentityProvider, base_env, run_command, running_service


def _status(client: httpx.Client) -> tuple[int, int]:
    """Return the statuses of /readyz and /healthz."""
    return client.get("/readyz").status_code, client.get("/healthz").status_code


@contextmanager
def _connections_refused(server: URL, database: str) -> Iterator[None]:
    """Make a database refuse every connection, the open ones cut, while in block."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            )
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name"
                ),
                {"name": database},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            )
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.e2e
def test_ssm_is_ready_only_while_its_database_is_migrated_and_reachable(
    postgres_database: tuple[URL, str],
    idp: FakeIdentityProvider,
    tmp_path: Path,
) -> None:
    server, url = postgres_database
    database = make_url(url).database
    assert database is not None
    env = (
        base_env()
        | idp.ssm_env()
        | {
            "SSM_ENVIRONMENT": "development",
            "SSM_DATABASE_URL": url,
            "SSM_MAIL_DISPATCHER_ENABLED": "false",
        }
    )

    with (
        running_service("ssm-api", env, tmp_path) as ssm,
        httpx.Client(base_url=ssm.url, timeout=10) as client,
    ):
        unmigrated = client.get("/readyz")
        migrated = run_command(["ssm-api", "migrate"], env)
        after_migrate = _status(client)
        with _connections_refused(server, database):
            unreachable = client.get("/readyz")
            alive_meanwhile = client.get("/healthz").status_code
        back = _status(client)

    assert unmigrated.status_code == 503
    assert unmigrated.json()["status"] == "unavailable"
    assert unmigrated.json()["reason"]
    assert migrated.returncode == 0, migrated.stderr
    assert after_migrate == (200, 200)
    assert unreachable.status_code == 503
    assert unreachable.json()["status"] == "unavailable"
    # The reason names the failure, never the database's own message or address.
    assert database not in unreachable.text
    assert "127.0.0.1" not in unreachable.text
    assert alive_meanwhile == 200
    assert back == (200, 200)


@pytest.mark.anyio
async def test_myhandicap_is_ready_once_its_sqlite_database_is_there_and_migrated(
    tmp_path: Path,
) -> None:
    minter = TokenMinter()
    path = tmp_path / "missing-folder" / "myhandicap.db"
    url = f"sqlite+aiosqlite:///{path}"
    settings = Settings(environment="test", database_url=url, oidc_issuer=minter.issuer)
    app = create_app(settings, keys=StaticKeys(minter.jwks))

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mh.test"
        ) as client,
    ):
        unreachable = await client.get("/readyz")
        alive_meanwhile = await client.get("/healthz")
        path.parent.mkdir()
        unmigrated = await client.get("/readyz")
        # Alembic runs an event loop of its own, so it runs outside the test's.
        await anyio.to_thread.run_sync(upgrade, url)
        migrated = await client.get("/readyz")

    assert unreachable.status_code == 503
    assert unreachable.json()["status"] == "unavailable"
    assert str(tmp_path) not in unreachable.text
    assert alive_meanwhile.status_code == 200
    assert unmigrated.status_code == 503
    assert unmigrated.json()["status"] == "unavailable"
    assert unmigrated.json()["reason"]
    assert migrated.status_code == 200
    assert migrated.json() == {"status": "ready"}
