import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from identity_stub.testing import TokenMinter, unsigned_token

from ..conftest import IDP, StartSsm
from ..support import (
    JANE,
    NO_MANDATES,
    assert_problem,
    bearer,
    mandate_body,
    overview,
    search_body,
)

pytestmark = pytest.mark.anyio

# Every route for persons, with a body it would accept.
PERSON_ROUTES = [
    ("GET", "/v1/mandate-types", None),
    ("POST", "/v1/persons/search", search_body()),
    ("POST", "/v1/mandates", mandate_body()),
    ("GET", "/v1/mandates?view=active", None),
    ("GET", "/v1/mandates/overview", None),
    ("GET", "/v1/mandates/some-id", None),
    ("GET", "/v1/mandates/some-id/events", None),
    ("POST", "/v1/mandates/some-id/sign", {"accept_conditions": True}),
    ("POST", "/v1/mandates/some-id/refuse", {}),
    ("POST", "/v1/mandates/some-id/withdraw", None),
    ("POST", "/v1/mandates/some-id/stop", {"accept_conditions": True}),
]
OVERVIEW = "/v1/mandates/overview"


@pytest.fixture
async def client(
    sqlite_url: str, start_ssm: StartSsm
) -> AsyncIterator[httpx.AsyncClient]:
    # Tokens are checked before the database is touched: one database suffices.
    async with start_ssm(sqlite_url) as client:
        yield client


@pytest.fixture(scope="module")
def stranger() -> TokenMinter:
    """Sign with a key the identity provider never published, under its name."""
    return TokenMinter(issuer=IDP)


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key(minter: TokenMinter) -> str:
    """Sign as HS256 with the published RSA key as the secret: algorithm confusion."""
    public_pem = minter.key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": minter.kid}
    claims = claims_of(minter.person_token(JANE))
    signing_input = ".".join(
        b64(json.dumps(part).encode()) for part in (header, claims)
    ).encode()
    signature = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode()}.{b64(signature)}"


def authorization(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthorized(response: httpx.Response) -> None:
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "body"), PERSON_ROUTES)
async def test_every_person_route_needs_a_bearer_token(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = await client.request(method, path, json=body)

    assert_unauthorized(response)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "body"), PERSON_ROUTES)
async def test_every_person_route_refuses_a_service_token(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    token = minter.service_token("partner-demo", ["ssm:authorize"])

    response = await client.request(
        method, path, json=body, headers=authorization(token)
    )

    assert_problem(response, 403, "forbidden")


async def test_a_valid_token_is_accepted(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await client.get(OVERVIEW, headers=bearer(minter, JANE))

    assert response.status_code == 200


def forged_tokens(minter: TokenMinter, stranger: TokenMinter) -> dict[str, str]:
    janes = claims_of(minter.person_token(JANE))
    now = int(time.time())
    other_issuer = TokenMinter(issuer="http://other-idp.test", key=minter.key)
    return {
        "expired": minter.person_token(JANE, expires_in=-60),
        "not-yet-valid": minter.person_token(JANE, nbf=now + 120),
        "other-audience": minter.person_token(JANE, audience="myhandicap-api"),
        "other-issuer": other_issuer.person_token(JANE),
        "unsigned": unsigned_token(janes),
        "unknown-key": stranger.person_token(JANE),
        "published-kid-other-key": stranger.token(janes, kid=minter.kid),
        "hs256-with-public-key": hs256_with_public_key(minter),
        "rs512": minter.token(janes, algorithm="RS512"),
        "no-kid": jwt.encode(janes, minter.key.private_key, "RS256"),
        "no-exp": minter.person_token(JANE, exp=None),
        "no-sub": minter.person_token(JANE, sub=None),
        "tampered": minter.person_token(JANE)[:-4] + "AAAA",
        "not-a-jwt": "not.a.jwt",
    }


FORGED = (
    "expired",
    "not-yet-valid",
    "other-audience",
    "other-issuer",
    "unsigned",
    "unknown-key",
    "published-kid-other-key",
    "hs256-with-public-key",
    "rs512",
    "no-kid",
    "no-exp",
    "no-sub",
    "tampered",
    "not-a-jwt",
)


@pytest.mark.parametrize("kind", FORGED)
async def test_a_bad_token_is_401(
    client: httpx.AsyncClient, minter: TokenMinter, stranger: TokenMinter, kind: str
) -> None:
    token = forged_tokens(minter, stranger)[kind]

    response = await client.post(
        "/v1/mandates", json=mandate_body(), headers=authorization(token)
    )

    assert_unauthorized(response)
    assert await overview(client, minter, JANE) == NO_MANDATES


async def test_a_token_expired_within_the_leeway_is_accepted(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.person_token(JANE, expires_in=-10)

    response = await client.get(OVERVIEW, headers=authorization(token))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Bearer", id="no-token"),
        pytest.param("Bearer ", id="empty-token"),
        pytest.param("Basic amFuZTpwaW4=", id="basic"),
        pytest.param("Token abc", id="other-scheme"),
        pytest.param("abc", id="no-scheme"),
    ],
)
async def test_a_malformed_authorization_header_is_401(
    client: httpx.AsyncClient, header: str
) -> None:
    response = await client.get(OVERVIEW, headers={"Authorization": header})

    assert_unauthorized(response)


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"method": "password"}, id="password"),
        pytest.param({"acr": "urn:be:fedict:iam:fas:Level200"}, id="level-200"),
        pytest.param({"acr": "urn:example:unknown"}, id="unknown-level"),
        pytest.param({"acr": None}, id="no-acr"),
    ],
)
async def test_a_login_below_itsme_is_403(
    client: httpx.AsyncClient, minter: TokenMinter, overrides: dict[str, Any]
) -> None:
    response = await client.get(OVERVIEW, headers=bearer(minter, JANE, **overrides))

    problem = assert_problem(response, 403, "forbidden")
    assert "eID" in problem["detail"]


@pytest.mark.parametrize("method", ["eid", "itsme"])
async def test_eid_and_itsme_are_strong_enough(
    client: httpx.AsyncClient, minter: TokenMinter, method: str
) -> None:
    response = await client.get(OVERVIEW, headers=bearer(minter, JANE, method=method))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "subject",
    [
        pytest.param("12121212377", id="wrong-check-digits"),
        pytest.param("jane@example.org", id="not-a-number"),
    ],
)
async def test_a_person_token_without_a_national_number_is_403(
    client: httpx.AsyncClient, minter: TokenMinter, subject: str
) -> None:
    response = await client.get(OVERVIEW, headers=bearer(minter, JANE, sub=subject))

    assert_problem(response, 403, "forbidden")
