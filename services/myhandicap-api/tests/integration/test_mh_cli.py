"""The command line: migrate, load demo data, and serve through uvicorn's factory."""

import asyncio

import pytest
from pydantic import ValidationError

from myhandicap_api import cli
from myhandicap_api.config import Settings
from myhandicap_api.migrations import head_revision
from myhandicap_api.seed import DemoPerson
from service_kit.db import create_engine, database_revision


def revision(url):
    async def read():
        engine = create_engine(url)
        try:
            return await database_revision(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read())


@pytest.fixture
def database_url(tmp_path, monkeypatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'myhandicap.db'}"
    monkeypatch.setenv("MYHANDICAP_DATABASE_URL", url)
    return url


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))
    return calls


def test_migrate_brings_the_database_to_the_head(database_url):
    assert cli.main(["migrate"]) == 0

    assert revision(database_url) == head_revision()


def test_serve_runs_the_app_factory_with_a_graceful_shutdown(
    database_url, served, tmp_path
):
    cli.main(["serve", "--port", "18002"])

    [(args, options)] = served
    assert args == ("myhandicap_api.api.app:create_app",)
    assert options["factory"] is True
    assert (options["host"], options["port"]) == ("127.0.0.1", 18002)
    assert options["timeout_graceful_shutdown"] > 0
    assert not (tmp_path / "var").exists()


def test_serve_with_demo_data_migrates_and_seeds_first(
    database_url, served, monkeypatch
):
    asked = []

    async def fake_register(client, idp_url):
        asked.append(idp_url)
        return [
            DemoPerson(
                national_number="01010112301", first_name="Jane", last_name="Doe"
            )
        ]

    monkeypatch.setattr(cli, "fetch_persons", fake_register)
    monkeypatch.setenv("MYHANDICAP_SEED_DEMO", "true")
    monkeypatch.setenv("MYHANDICAP_OIDC_ISSUER", "http://idp.test")

    cli.main(["serve"])

    assert revision(database_url) == head_revision()
    assert asked == ["http://idp.test"]
    assert served[0][1]["port"] == 8002


def test_seed_demo_reads_the_given_provider(database_url, monkeypatch):
    asked = []

    async def fake_register(client, idp_url):
        asked.append(idp_url)
        return []

    monkeypatch.setattr(cli, "fetch_persons", fake_register)
    cli.main(["migrate"])

    cli.main(["seed-demo", "--idp-url", "http://elsewhere.test"])

    assert asked == ["http://elsewhere.test"]


def test_demo_data_is_refused_outside_development():
    with pytest.raises(ValidationError, match="development only"):
        Settings(environment="test", seed_demo=True)
