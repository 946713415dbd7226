"""The claims of person tokens and service tokens."""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from identity_stub.register import PersonRecord

AuthMethod = Literal["eid", "itsme", "password"]

DEV_PORTAL_CLIENT_ID = "dev-portal"
PROFESSIONAL_ROLE = "professional"

# The Belgian FAS levels of assurance: eID with PIN is the highest, itsme next,
# and a password alone is too low for services that handle personal dossiers.
ACR_BY_METHOD: Mapping[AuthMethod, str] = {
    "eid": "urn:be:fedict:iam:fas:Level500",
    "itsme": "urn:be:fedict:iam:fas:Level450",
    "password": "urn:be:fedict:iam:fas:Level100",
}
AMR_BY_METHOD: Mapping[AuthMethod, str] = {
    "eid": "eid",
    "itsme": "itsme",
    "password": "pwd",
}


def _registered_claims(
    *, issuer: str, audience: str | Sequence[str], now: int, lifetime: int
) -> dict[str, Any]:
    return {
        "iss": issuer,
        "aud": audience if isinstance(audience, str) else list(audience),
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),
    }


def person_claims(
    person: PersonRecord,
    *,
    method: AuthMethod,
    issuer: str,
    audience: str | Sequence[str],
    now: int,
    lifetime: int,
) -> dict[str, Any]:
    """Build the claims of a token for a person logged in with a method."""
    claims = _registered_claims(
        issuer=issuer, audience=audience, now=now, lifetime=lifetime
    )
    claims |= {
        "sub": person.national_number,
        "client_id": DEV_PORTAL_CLIENT_ID,
        "given_name": person.first_name,
        "family_name": person.last_name,
        "locale": person.locale,
        "amr": [AMR_BY_METHOD[method]],
        "acr": ACR_BY_METHOD[method],
    }
    if person.professional is not None:
        claims["roles"] = [PROFESSIONAL_ROLE]
        claims["organisation"] = person.professional.organisation
    return claims


def audiences_for(
    scopes: Iterable[str], scope_audiences: Mapping[str, str]
) -> list[str]:
    """List the audiences of the given scopes, once each, in scope order."""
    found = (scope_audiences[scope] for scope in scopes if scope in scope_audiences)
    return list(dict.fromkeys(found))


def service_claims(
    client_id: str,
    scopes: Sequence[str],
    *,
    issuer: str,
    audience: str | Sequence[str],
    now: int,
    lifetime: int,
) -> dict[str, Any]:
    """Build the claims of a client-credentials token for a client."""
    claims = _registered_claims(
        issuer=issuer, audience=audience, now=now, lifetime=lifetime
    )
    claims |= {"sub": client_id, "client_id": client_id, "scope": " ".join(scopes)}
    return claims
