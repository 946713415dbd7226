"""Settings of the development identity provider, read from `IDP_*` variables."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]
ALLOWED_ENVIRONMENTS: frozenset[str] = frozenset({"development", "test"})
DEFAULT_PERSON_AUDIENCE: tuple[str, ...] = ("ssm-api", "myhandicap-api")
DEFAULT_SCOPE_AUDIENCES: Mapping[str, str] = MappingProxyType(
    {"register:read": "register", "ssm:authorize": "ssm-api"}
)


class ClientConfig(BaseModel):
    """A client that may ask for service tokens, with the scopes it may get."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    secret: SecretStr
    scopes: list[str] = Field(default_factory=list)


def _default_clients() -> dict[str, ClientConfig]:
    grants = {
        "ssm-api": ["register:read"],
        "myhandicap-api": ["ssm:authorize", "register:read"],
        "partner-demo": ["ssm:authorize"],
    }
    return {
        client_id: ClientConfig(secret=SecretStr(f"{client_id}-secret"), scopes=scopes)
        for client_id, scopes in grants.items()
    }


class Settings(BaseSettings):
    """Configure the stub: who it is, how it signs, which clients it knows."""

    model_config = SettingsConfigDict(env_prefix="IDP_", extra="forbid")

    environment: Environment = "development"
    issuer: str = "http://127.0.0.1:8000"
    signing_key_pem: SecretStr | None = None
    key_id: str | None = None
    token_lifetime_seconds: int = Field(default=900, gt=0, le=86_400)
    person_audience: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PERSON_AUDIENCE), min_length=1
    )
    clients: dict[str, ClientConfig] = Field(default_factory=_default_clients)
    scope_audiences: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_SCOPE_AUDIENCES)
    )
    log_json: bool = False

    @field_validator("issuer")
    @classmethod
    def _issuer_is_a_url(cls, issuer: str) -> str:
        if not issuer.startswith(("http://", "https://")):
            raise ValueError("the issuer must be an http(s) URL")
        return issuer.rstrip("/")

    @model_validator(mode="after")
    def _every_scope_has_an_audience(self) -> Self:
        unmapped = {
            scope
            for client in self.clients.values()
            for scope in client.scopes
            if scope not in self.scope_audiences
        }
        if unmapped:
            missing = ", ".join(sorted(unmapped))
            raise ValueError(
                f"scopes without an audience in scope_audiences: {missing}"
            )
        return self


class EnvironmentRefusedError(RuntimeError):
    """The stub was asked to run where only a real identity provider belongs."""


def ensure_may_start(settings: Settings) -> None:
    """Refuse to run outside development and test."""
    if settings.environment not in ALLOWED_ENVIRONMENTS:
        raise EnvironmentRefusedError(
            f"identity-stub refuses to start with IDP_ENVIRONMENT="
            f"{settings.environment}: it mints tokens for anyone and is for "
            "development and tests only"
        )
