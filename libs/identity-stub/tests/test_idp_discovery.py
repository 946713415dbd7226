import httpx
import pytest
from jwt.algorithms import RSAAlgorithm
from openapi_spec_validator import validate

from identity_stub.keys import SigningKey, jwk_thumbprint
from identity_stub.testing import TokenMinter, stub_app_for

pytestmark = pytest.mark.anyio

# The example key of RFC 7638 section 3.1 and the thumbprint given there.
RFC_7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6"
    "tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5"
    "v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbIS"
    "D08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
    "kEgU8awapJzKnqDKgw"
)


def test_thumbprint_matches_the_rfc_example() -> None:
    public_key = RSAAlgorithm.from_jwk({"kty": "RSA", "n": RFC_7638_N, "e": "AQAB"})

    thumbprint = jwk_thumbprint(public_key)  # type: ignore[arg-type]

    assert thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


async def test_discovery_names_the_endpoints_and_levels(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await client.get("/.well-known/openid-configuration")

    document = response.json()
    assert response.status_code == 200
    assert document["issuer"] == minter.issuer
    assert document["jwks_uri"] == f"{minter.issuer}/jwks.json"
    assert document["token_endpoint"] == f"{minter.issuer}/token"
    assert document["grant_types_supported"] == ["client_credentials"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post",
        "client_secret_basic",
    }
    assert set(document["scopes_supported"]) == {"register:read", "ssm:authorize"}
    assert {"sub", "acr", "amr", "roles", "organisation"} <= set(
        document["claims_supported"]
    )
    assert document["acr_values_supported"] == [
        "urn:be:fedict:iam:fas:Level500",
        "urn:be:fedict:iam:fas:Level450",
        "urn:be:fedict:iam:fas:Level100",
    ]


async def test_jwks_publishes_the_public_key_only(
    client: httpx.AsyncClient, signing_key: SigningKey
) -> None:
    response = await client.get("/jwks.json")

    (key,) = response.json()["keys"]
    assert response.status_code == 200
    assert set(key) == {"kty", "n", "e", "kid", "use", "alg"}
    assert (key["kty"], key["use"], key["alg"]) == ("RSA", "sig", "RS256")
    assert key["kid"] == jwk_thumbprint(signing_key.public_key)


def test_a_configured_pem_keeps_its_thumbprint_or_takes_a_given_kid(
    signing_key: SigningKey,
) -> None:
    pem = signing_key.to_pem()

    assert SigningKey.from_pem(pem).kid == signing_key.kid
    assert SigningKey.from_pem(pem, kid="key-2026").kid == "key-2026"


async def test_health_probe_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_unknown_paths_get_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/nowhere"


def test_the_openapi_document_is_valid(minter: TokenMinter) -> None:
    document = stub_app_for(minter).openapi()

    validate(document)
    assert "/register/persons/{nrn}" in document["paths"]
