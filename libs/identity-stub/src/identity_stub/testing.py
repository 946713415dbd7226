"""In-process helpers for tests of services that trust the identity stub.

A `TokenMinter` signs tokens with a key of its own; `stub_app_for(minter)` serves
the stub with that same key, so a service under test can fetch `/jwks.json` and
read `/register/...` through `httpx.ASGITransport` and accept the minter's tokens.
"""

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import jwt
from fastapi import FastAPI
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from identity_stub.app import create_app
from identity_stub.config import (
    DEFAULT_PERSON_AUDIENCE,
    DEFAULT_SCOPE_AUDIENCES,
    Settings,
)
from identity_stub.keys import ALGORITHM, SigningKey
from identity_stub.register import find
from identity_stub.tokens import (
    AuthMethod,
    audiences_for,
    person_claims,
    service_claims,
)

TEST_ISSUER = "http://idp.test"


class _IsolatedSettings(Settings):
    """Settings that read only what the test passes, never the environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def stub_settings(**overrides: Any) -> Settings:
    """Build settings for a stub under test: test environment, test issuer."""
    values: dict[str, Any] = {"environment": "test", "issuer": TEST_ISSUER}
    return _IsolatedSettings(**(values | overrides))


def unsigned_token(claims: Mapping[str, Any]) -> str:
    """Make an `alg: none` token, which every verifier must refuse."""
    return jwt.encode(dict(claims), "", algorithm="none")


def _apply(claims: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    for name, value in overrides.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


class TokenMinter:
    """Sign tokens as the identity stub does, with a key of the minter's own."""

    def __init__(
        self,
        *,
        issuer: str = TEST_ISSUER,
        key: SigningKey | None = None,
        person_audience: Sequence[str] = DEFAULT_PERSON_AUDIENCE,
        scope_audiences: Mapping[str, str] = DEFAULT_SCOPE_AUDIENCES,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.key = key or SigningKey.generate()
        self.person_audience = list(person_audience)
        self.scope_audiences = dict(scope_audiences)

    @property
    def kid(self) -> str:
        """Return the id of the minter's key."""
        return self.key.kid

    @property
    def jwks(self) -> dict[str, Any]:
        """Return the JWKS that verifies the minter's tokens."""
        return dict(self.key.jwks())

    def person_token(
        self,
        nrn: str,
        *,
        method: AuthMethod = "itsme",
        audience: str | Sequence[str] | None = None,
        expires_in: int = 900,
        **claim_overrides: Any,
    ) -> str:
        """Sign a person token for someone in the register; None drops a claim."""
        person = find(nrn)
        if person is None:
            raise LookupError("not in the demo register; craft it with token()")
        claims = person_claims(
            person,
            method=method,
            issuer=self.issuer,
            audience=self.person_audience if audience is None else audience,
            now=int(time.time()),
            lifetime=expires_in,
        )
        return self.token(_apply(claims, claim_overrides))

    def service_token(
        self,
        client_id: str,
        scopes: Iterable[str],
        *,
        audience: str | Sequence[str] | None = None,
        expires_in: int = 900,
    ) -> str:
        """Sign a client-credentials token with the given scopes."""
        granted = scopes.split() if isinstance(scopes, str) else list(scopes)
        if audience is None:
            audience = audiences_for(granted, self.scope_audiences)
        if not audience:
            raise ValueError("no audience is known for these scopes; pass audience=")
        claims = service_claims(
            client_id,
            granted,
            issuer=self.issuer,
            audience=audience,
            now=int(time.time()),
            lifetime=expires_in,
        )
        return self.token(claims)

    def token(
        self,
        claims: Mapping[str, Any],
        *,
        kid: str | None = None,
        algorithm: str = ALGORITHM,
    ) -> str:
        """Sign exactly these claims, with another kid or RSA algorithm if asked."""
        return self.key.sign(claims, kid=kid, algorithm=algorithm)


def stub_app_for(minter: TokenMinter, **overrides: Any) -> FastAPI:
    """Make the stub's app with the minter's issuer, key and audiences."""
    settings = stub_settings(
        **{
            "issuer": minter.issuer,
            "signing_key_pem": minter.key.to_pem(),
            "key_id": minter.kid,
            "person_audience": minter.person_audience,
            "scope_audiences": minter.scope_audiences,
        }
        | overrides
    )
    return create_app(settings)
