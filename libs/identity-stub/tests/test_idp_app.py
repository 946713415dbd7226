import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import structlog
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError
from structlog.testing import capture_logs

from identity_stub import cli
from identity_stub.app import create_app
from identity_stub.config import EnvironmentRefusedError, Settings
from identity_stub.keys import SigningKey, SigningKeyError
from identity_stub.testing import TEST_ISSUER, stub_settings


def test_the_stub_refuses_to_start_in_production() -> None:
    settings = stub_settings(environment="production")

    with pytest.raises(EnvironmentRefusedError, match="production"):
        create_app(settings)


def test_the_command_refuses_production_in_one_line() -> None:
    command = "from identity_stub.cli import main; raise SystemExit(main(['serve']))"

    result = subprocess.run(
        [sys.executable, "-c", command],
        capture_output=True,
        text=True,
        env=os.environ | {"IDP_ENVIRONMENT": "production"},
        check=False,
        timeout=60,
    )

    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "refuses to start" in result.stderr


def test_the_command_refuses_production_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDP_ENVIRONMENT", "production")

    with pytest.raises(SystemExit, match="refuses to start"):
        cli.main(["serve"])


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Record what the command would hand to uvicorn, instead of serving."""
    calls: dict[str, Any] = {}

    def fake_run(app: str, **options: Any) -> None:
        calls.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    yield calls
    structlog.reset_defaults()


def test_the_command_serves_the_factory_on_the_given_port(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDP_ENVIRONMENT", "development")

    status = cli.main(["serve", "--port", "8100"])

    assert status == 0
    assert served["app"] == "identity_stub.app:create_app"
    assert served["factory"] is True
    assert (served["host"], served["port"]) == ("127.0.0.1", 8100)
    assert served["access_log"] is False


def test_the_command_names_invalid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDP_TOKEN_LIFETIME_SECONDS", "forever")

    with pytest.raises(SystemExit, match="token_lifetime_seconds"):
        cli.main(["serve"])


def test_clients_are_read_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    clients = '{"portal": {"secret": "s3cret", "scopes": ["register:read"]}}'
    monkeypatch.setenv("IDP_CLIENTS", clients)
    monkeypatch.setenv("IDP_ISSUER", "http://localhost:9000/")

    settings = Settings()

    assert list(settings.clients) == ["portal"]
    assert settings.clients["portal"].secret.get_secret_value() == "s3cret"
    assert settings.issuer == "http://localhost:9000"


def test_the_development_clients_are_the_contracts() -> None:
    settings = Settings(environment="development")

    grants = {name: client.scopes for name, client in settings.clients.items()}
    secrets = {
        name: client.secret.get_secret_value()
        for name, client in settings.clients.items()
    }

    assert grants == {
        "ssm-api": ["register:read"],
        "myhandicap-api": ["ssm:authorize", "register:read"],
        "partner-demo": ["ssm:authorize"],
    }
    assert secrets == {name: f"{name}-secret" for name in grants}


def test_every_scope_needs_an_audience() -> None:
    with pytest.raises(ValidationError, match="mystery:scope"):
        stub_settings(clients={"x": {"secret": "s", "scopes": ["mystery:scope"]}})


def test_a_short_or_unreadable_key_is_refused() -> None:
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    short_pem = short.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()

    with pytest.raises(SigningKeyError, match="2048"):
        SigningKey.from_pem(short_pem)
    with pytest.raises(SigningKeyError, match="PEM"):
        SigningKey.from_pem("not a key")


def test_a_configured_key_signs_for_the_app(signing_key: SigningKey) -> None:
    settings = stub_settings(signing_key_pem=signing_key.to_pem())

    app = create_app(settings)

    assert app.state.provider.key.kid == signing_key.kid


def test_without_a_configured_key_the_app_makes_one() -> None:
    app = create_app(stub_settings(key_id="dev-key"))

    assert app.state.provider.key.kid == "dev-key"


def test_the_issuer_must_be_a_url() -> None:
    with pytest.raises(ValidationError, match="issuer"):
        stub_settings(issuer="idp.test")


@pytest.mark.anyio
async def test_starting_logs_the_issuer_and_key(signing_key: SigningKey) -> None:
    app = create_app(stub_settings(signing_key_pem=signing_key.to_pem()))

    with capture_logs() as logs:
        async with app.router.lifespan_context(app):
            pass

    (event,) = logs
    assert event["event"] == "idp.started"
    assert event["kid"] == signing_key.kid
    assert event["environment"] == "test"


@pytest.mark.anyio
async def test_an_unexpected_failure_is_a_problem_without_details(
    signing_key: SigningKey,
) -> None:
    app = create_app(stub_settings(signing_key_pem=signing_key.to_pem()))

    def explode() -> None:
        raise RuntimeError("internal detail")

    app.add_api_route("/explode", explode)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    async with httpx.AsyncClient(transport=transport, base_url=TEST_ISSUER) as http:
        response = await http.get("/explode")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "internal detail" not in response.text
