"""The examples of the stub's OpenAPI document, made the way the stub makes answers.

Jane Doe (01010112301) logs in with itsme on 3 December 2026 at 09:15 UTC, and
the partner e-service `partner-demo` asks for a token to call SSM. The signing key
shown is the example RSA key of RFC 7638 (section 3.1), named by the thumbprint
computed there, as the stub names its own key; the token signatures are made up.
"""

import base64
import hashlib
import json
from dataclasses import asdict
from typing import Any

from pydantic import JsonValue

from identity_stub import register
from identity_stub.config import DEFAULT_PERSON_AUDIENCE, DEFAULT_SCOPE_AUDIENCES
from identity_stub.keys import ALGORITHM
from identity_stub.provider import discovery
from identity_stub.tokens import audiences_for, person_claims, service_claims

JsonDict = dict[str, JsonValue]

ISSUER = "http://127.0.0.1:8000"
JANE_NRN = "01010112301"
JAN_NRN = "12121212376"
UNKNOWN_NRN = "85073003328"  # Valid, but of nobody in the demo register.
MISTYPED_NRN = "12121212377"
LOGGED_IN_AT = 1_796_289_300  # 2026-12-03T09:15:00Z
LIFETIME = 900
KID = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
JWK: JsonDict = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxu"
        "hDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN"
        "5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5"
        "hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBni"
        "Iqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "kid": KID,
    "use": "sig",
    "alg": ALGORITHM,
}
JWKS: JsonDict = {"keys": [JWK]}
DISCOVERY = discovery(ISSUER, DEFAULT_SCOPE_AUDIENCES)


def _segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _token(claims: dict[str, Any], jti: str) -> str:
    """Return a compact JWT of the claims, shaped as the stub signs them."""
    header = {"alg": ALGORITHM, "kid": KID, "typ": "JWT"}
    signed = [
        _segment(json.dumps(part, separators=(",", ":")).encode())
        for part in (header, claims | {"jti": jti})
    ]
    # 256 bytes, as long as an RS256 signature with a 2048-bit key.
    signature = hashlib.sha512(".".join(signed).encode()).digest() * 4
    return ".".join([*signed, _segment(signature)])


def record(national_number: str) -> register.PersonRecord:
    """Return a person of the demo register."""
    found = register.find(national_number)
    if found is None:
        raise LookupError(national_number)
    return found


_JANE = record(JANE_NRN)
JANE_ADDRESS: JsonDict = asdict(_JANE.address)
PERSON_TOKEN_REQUEST: JsonDict = {"national_number": JANE_NRN, "method": "itsme"}
PERSON_TOKEN: JsonDict = {
    "access_token": _token(
        person_claims(
            _JANE,
            method="itsme",
            issuer=ISSUER,
            audience=DEFAULT_PERSON_AUDIENCE,
            now=LOGGED_IN_AT,
            lifetime=LIFETIME,
        ),
        jti="6b0f4e1c-2a9d-4c37-8e15-d94b7a3f0c28",
    ),
    "token_type": "Bearer",
    "expires_in": LIFETIME,
}
SERVICE_TOKEN_REQUEST: JsonDict = {
    "grant_type": "client_credentials",
    "client_id": "partner-demo",
    "client_secret": "partner-demo-secret",
    "scope": "ssm:authorize",
}
SERVICE_TOKEN: JsonDict = {
    "access_token": _token(
        service_claims(
            "partner-demo",
            ["ssm:authorize"],
            issuer=ISSUER,
            audience=audiences_for(["ssm:authorize"], DEFAULT_SCOPE_AUDIENCES),
            now=LOGGED_IN_AT,
            lifetime=LIFETIME,
        ),
        jti="e27c9a50-71d4-4b2e-9f63-0a8d5c1b4e97",
    ),
    "token_type": "Bearer",
    "expires_in": LIFETIME,
    "scope": "ssm:authorize",
}
INVALID_SCOPE: JsonDict = {
    "error": "invalid_scope",
    "error_description": "Not granted: register:read.",
}
INVALID_CLIENT: JsonDict = {
    "error": "invalid_client",
    "error_description": "Client authentication failed.",
}
