"""No deployment runs on a development secret: outside development, placeholders fail.

Every secret has a development placeholder as its default. In production a secret
left at it stops the service from starting, with a message that names the setting
and shows no secret that was set.
"""

import subprocess
import time
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from myhandicap_api.config import Settings as MyHandicapSettings
from ssm_api.config import Settings as SsmSettings

from .ops_support import BIN, base_env, free_port, leaked

SECRETS = ("client_secret", "log_hash_key")
REAL = {
    "client_secret": "cS7qV2nXk9Lp4Rw8Hz3Tb6Md",
    "log_hash_key": "hK5mW8rQz2Np7Xv4Jc9Ly3Bt",
}
DATABASE_PASSWORD = "dP4tG9wKx6Rm2Vq8Zn5Hc7Lj"
SERVICES: dict[str, tuple[type[BaseModel], str]] = {
    "ssm-api": (SsmSettings, "SSM_"),
    "myhandicap-api": (MyHandicapSettings, "MYHANDICAP_"),
}
EXIT_SECONDS = 15.0


def _settings(service: str, **values: Any) -> BaseModel:
    settings_class, _ = SERVICES[service]
    return settings_class(**values)


@pytest.mark.parametrize("service", sorted(SERVICES))
@pytest.mark.parametrize("left", SECRETS)
def test_production_refuses_a_secret_left_at_its_placeholder(
    service: str, left: str
) -> None:
    given = {name: value for name, value in REAL.items() if name != left}

    with pytest.raises(ValidationError) as refused:
        _settings(service, environment="production", **given)

    assert left in str(refused.value)
    assert "placeholder" in str(refused.value)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_production_names_every_secret_left_at_its_placeholder(service: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _settings(service, environment="production")

    for name in SECRETS:
        assert name in str(refused.value)


@pytest.mark.parametrize("service", sorted(SERVICES))
@pytest.mark.parametrize("left", SECRETS)
def test_the_refusal_shows_no_secret_that_was_set(service: str, left: str) -> None:
    given = {name: value for name, value in REAL.items() if name != left}

    with pytest.raises(ValidationError) as refused:
        _settings(service, environment="production", **given)

    assert leaked(str(refused.value), list(given.values())) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_production_starts_with_real_secrets(service: str) -> None:
    settings = _settings(service, environment="production", **REAL)

    assert getattr(settings, "environment", None) == "production"
    assert getattr(settings, "effective_log_format", None) == "json"
    for name, value in REAL.items():
        assert getattr(settings, name).get_secret_value() == value
        assert value not in repr(settings)


@pytest.mark.parametrize("service", sorted(SERVICES))
@pytest.mark.parametrize("environment", ["development", "test"])
def test_placeholders_serve_development_and_tests(
    service: str, environment: str
) -> None:
    settings = _settings(service, environment=environment)

    assert getattr(settings, "environment", None) == environment


def _production_env(service: str) -> dict[str, str]:
    """Production settings in the environment, the log hash key left unset."""
    _, prefix = SERVICES[service]
    database = service.removesuffix("-api")
    return base_env() | {
        f"{prefix}ENVIRONMENT": "production",
        f"{prefix}CLIENT_SECRET": REAL["client_secret"],
        f"{prefix}DATABASE_URL": (
            f"postgresql+psycopg://{database}:{DATABASE_PASSWORD}"
            f"@127.0.0.1:{free_port()}/{database}"
        ),
    }


@dataclass(frozen=True)
class Refusal:
    """What `serve` did when started in production with a placeholder."""

    status: int
    output: str
    seconds: float


@pytest.fixture(scope="module", params=sorted(SERVICES))
def refusal(request: pytest.FixtureRequest) -> Refusal:
    service: str = request.param
    started = time.monotonic()
    completed = subprocess.run(
        [
            str(BIN / service),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port()),
        ],
        env=_production_env(service),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=EXIT_SECONDS * 2,
    )
    elapsed = time.monotonic() - started
    return Refusal(completed.returncode, completed.stdout + completed.stderr, elapsed)


@pytest.mark.e2e
def test_serve_in_production_with_a_placeholder_exits_at_once(
    refusal: Refusal,
) -> None:
    assert refusal.status != 0
    assert refusal.seconds < EXIT_SECONDS
    assert "log_hash_key" in refusal.output
    assert "Uvicorn running" not in refusal.output


@pytest.mark.e2e
def test_serve_refusing_a_placeholder_prints_no_secret(refusal: Refusal) -> None:
    assert leaked(refusal.output, [REAL["client_secret"], DATABASE_PASSWORD]) == []
