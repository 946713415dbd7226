"""The identity provider itself: its settings, its key and what it signs."""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from identity_stub.config import Settings
from identity_stub.keys import ALGORITHM, SigningKey
from identity_stub.register import PersonRecord
from identity_stub.tokens import (
    ACR_BY_METHOD,
    AuthMethod,
    audiences_for,
    person_claims,
    service_claims,
)

CLAIMS_SUPPORTED = (
    "iss", "aud", "iat", "nbf", "exp", "jti", "sub", "client_id", "scope",
    "given_name", "family_name", "locale", "amr", "acr", "roles", "organisation",
)  # fmt: skip


def load_signing_key(settings: Settings) -> SigningKey:
    """Load the configured signing key, or make one when none is configured."""
    if settings.signing_key_pem is None:
        return SigningKey.generate(settings.key_id)
    return SigningKey.from_pem(
        settings.signing_key_pem.get_secret_value(), settings.key_id
    )


@dataclass(frozen=True)
class Provider:
    """Sign person and service tokens with one key, under one issuer."""

    settings: Settings
    key: SigningKey
    clock: Callable[[], float] = field(default=time.time)

    @property
    def register_audience(self) -> str:
        """Return the audience that register tokens must carry."""
        return self.settings.scope_audiences.get("register:read", "register")

    def person_token(self, person: PersonRecord, method: AuthMethod) -> str:
        """Sign a token for a person logged in with the given method."""
        claims = person_claims(
            person,
            method=method,
            issuer=self.settings.issuer,
            audience=self.settings.person_audience,
            now=int(self.clock()),
            lifetime=self.settings.token_lifetime_seconds,
        )
        return self.key.sign(claims)

    def service_token(self, client_id: str, scopes: Sequence[str]) -> str:
        """Sign a client-credentials token for the granted scopes."""
        claims = service_claims(
            client_id,
            scopes,
            issuer=self.settings.issuer,
            audience=audiences_for(scopes, self.settings.scope_audiences),
            now=int(self.clock()),
            lifetime=self.settings.token_lifetime_seconds,
        )
        return self.key.sign(claims)

    def discovery(self) -> dict[str, Any]:
        """Describe the provider as an OpenID Connect discovery document."""
        return discovery(self.settings.issuer, self.settings.scope_audiences)


def discovery(issuer: str, scopes: Iterable[str]) -> dict[str, Any]:
    """Describe a provider of an issuer and scopes as an OpenID discovery document."""
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/jwks.json",
        "token_endpoint": f"{issuer}/token",
        "grant_types_supported": ["client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "client_secret_basic",
        ],
        "scopes_supported": sorted(scopes),
        "claims_supported": list(CLAIMS_SUPPORTED),
        "acr_values_supported": list(ACR_BY_METHOD.values()),
    }
