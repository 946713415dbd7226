"""Compose: the whole system on one machine, checked against the Compose Specification.

Besides the schema, these are the rules this repository holds its Compose file to:
every service waits for what it needs, and gets exactly its settings.
"""

import importlib
import os
import re
import subprocess
from collections.abc import Mapping

import jsonschema
import pytest
from check_jsonschema.builtin_schemas import get_builtin_schema
from pydantic_settings import BaseSettings, SettingsConfigDict

from identity_stub.config import Settings as IdentitySettings
from identity_stub.config import ensure_may_start
from service_kit.settings import ServiceSettings

from .deploy_support import (
    DEPLOY,
    PORTS,
    ROOT,
    SECRETS,
    SERVICES,
    VARIABLE,
    compose,
    environment,
)

SERVICE_SETTINGS = {
    "ssm-api": {
        *SECRETS,
        *("ENVIRONMENT", "OIDC_ISSUER", "OIDC_JWKS_URL", "OIDC_AUDIENCE"),
        *("REGISTER_URL", "TOKEN_URL", "CLIENT_ID"),
        *("SMTP_HOST", "SMTP_PORT", "MAIL_FROM", "PUBLIC_BASE_URL"),
    },
    "myhandicap-api": {
        *SECRETS,
        *("ENVIRONMENT", "OIDC_ISSUER", "OIDC_JWKS_URL", "OIDC_AUDIENCE"),
        *("SSM_URL", "SSM_PORTAL_URL", "TOKEN_URL", "CLIENT_ID"),
    },
}
COMPOSE_SERVICES = {
    *("postgres", "identity-stub", "mailpit"),
    *("ssm-migrate", "ssm-api", "myhandicap-migrate", "myhandicap-api"),
}
MIGRATIONS = {"ssm-api": "ssm-migrate", "myhandicap-api": "myhandicap-migrate"}


def _env_example() -> dict[str, str]:
    lines = (DEPLOY / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^\w+=", line))
    return {name: value for name, value in pairs}


def test_compose_matches_the_compose_specification() -> None:
    schema = get_builtin_schema("vendor.compose-spec")
    validator = jsonschema.validators.validator_for(schema)(schema)

    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(compose())
    ]

    assert errors == []


def test_compose_runs_the_whole_system() -> None:
    services = compose()["services"]

    assert set(services) == COMPOSE_SERVICES
    assert services["postgres"]["image"].startswith("postgres:16.")
    assert services["mailpit"]["image"].startswith("axllent/mailpit:v")


def test_compose_services_wait_for_their_database_and_migrations() -> None:
    services = compose()["services"]

    for app, migration in MIGRATIONS.items():
        needs = services[app]["depends_on"]
        assert needs["postgres"]["condition"] == "service_healthy"
        assert needs[migration]["condition"] == "service_completed_successfully"
        assert needs["identity-stub"]["condition"] == "service_healthy"
        job = services[migration]
        assert job["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert job["command"] == ["migrate"]
        assert job["restart"] == "no"
        assert job["image"] == services[app]["image"]
        assert job["environment"] == services[app]["environment"]
    assert services["ssm-api"]["depends_on"]["mailpit"]["condition"] == (
        "service_healthy"
    )


def test_every_long_running_compose_service_has_a_healthcheck() -> None:
    services = compose()["services"]
    long_running = COMPOSE_SERVICES - set(MIGRATIONS.values())

    for name in long_running:
        check = services[name]["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert not check.get("disable", False), name
    for name in SERVICES:
        command = " ".join(services[name]["healthcheck"]["test"])
        assert f"127.0.0.1:{PORTS[name]}/readyz" in command
    for name, service in services.items():
        for target, need in service.get("depends_on", {}).items():
            if need["condition"] == "service_healthy":
                assert target in long_running, f"{name} waits on {target}"


def test_compose_variables_all_have_defaults_listed_in_env_example() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    example = _env_example()

    found = VARIABLE.finditer(text)
    references = {match["name"]: match for match in found if match["name"]}

    assert references
    for name, match in references.items():
        assert match["op"] == ":-", f"{name} has no default"
        assert example.get(name) == match["arg"], f"{name} differs in .env.example"
    assert compose() == compose(example)


def test_compose_gives_each_service_exactly_its_settings() -> None:
    services = compose()["services"]
    postgres = environment(services["postgres"])

    for name, prefix in SERVICES.items():
        env = environment(services[name])
        database = name.removesuffix("-api")
        assert set(env) == {prefix + key for key in SERVICE_SETTINGS[name]}
        assert env[f"{prefix}ENVIRONMENT"] == "production"
        assert env[f"{prefix}OIDC_AUDIENCE"] == name
        assert env[f"{prefix}OIDC_ISSUER"] == "http://identity-stub:8000"
        password = postgres[f"{database.upper()}_DB_PASSWORD"]
        assert env[f"{prefix}DATABASE_URL"] == (
            f"postgresql+psycopg://{database}:{password}@postgres:5432/{database}"
        )


def test_postgres_init_script_creates_a_database_per_service() -> None:
    script = DEPLOY / "compose" / "postgres-init.sh"
    mounts = compose()["services"]["postgres"]["volumes"]
    text = script.read_text()

    subprocess.run(["sh", "-n", str(script)], check=True)

    assert any(
        m.startswith("./compose/postgres-init.sh:/docker-entrypoint-initdb.d/")
        for m in mounts
    )
    assert os.access(script, os.X_OK)
    for database in ("ssm", "myhandicap"):
        assert f"CREATE DATABASE {database} OWNER {database};" in text


def _use_environment(
    monkeypatch: pytest.MonkeyPatch, prefix: str, env: Mapping[str, str | None]
) -> None:
    for name in os.environ:
        if name.startswith(prefix):
            monkeypatch.delenv(name)
    for name, value in env.items():
        if value is not None:
            monkeypatch.setenv(name, value)


def test_identity_stub_accepts_its_compose_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = compose()["services"]
    _use_environment(monkeypatch, "IDP_", environment(services["identity-stub"]))

    settings = IdentitySettings()

    ensure_may_start(settings)
    for name, prefix in SERVICES.items():
        env = environment(services[name])
        client = settings.clients[name]
        assert settings.issuer == env[f"{prefix}OIDC_ISSUER"]
        assert env[f"{prefix}CLIENT_ID"] == name
        assert client.secret.get_secret_value() == env[f"{prefix}CLIENT_SECRET"]


def _settings_class(name: str, prefix: str) -> type[BaseSettings]:
    """Return the service's own settings, or the shared ones until it has its own."""
    module = f"{name.replace('-', '_')}.config"
    try:
        own: type[BaseSettings] = importlib.import_module(module).Settings
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
    else:
        return own

    class Shared(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix=prefix, extra="ignore")

    return Shared


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_services_accept_their_compose_settings_in_production(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    prefix = SERVICES[name]
    _use_environment(monkeypatch, prefix, environment(compose()["services"][name]))

    settings = _settings_class(name, prefix)()

    assert getattr(settings, "environment", None) == "production"


def test_readme_refers_only_to_files_that_exist() -> None:
    readme = (DEPLOY / "README.md").read_text()
    ignored = (DEPLOY / ".gitignore").read_text().splitlines()
    made_locally = {f"deploy{line}" for line in ignored if line.startswith("/")}

    mentioned = set(re.findall(r"(?<![\w/])deploy/[\w./-]*\w", readme))

    assert mentioned
    missing = [
        p for p in mentioned if not (ROOT / p).exists() and p not in made_locally
    ]
    assert missing == []
