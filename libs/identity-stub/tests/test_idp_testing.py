import base64
import json
from typing import Any

import httpx
import jwt
import pytest

from identity_stub.config import Settings
from identity_stub.testing import (
    TEST_ISSUER,
    TokenMinter,
    stub_app_for,
    stub_settings,
    unsigned_token,
)

JANE = "01010112301"
SOFIE_OCMW = "83012625041"


def test_person_tokens_verify_against_the_minters_jwks(
    minter: TokenMinter, verify: Any
) -> None:
    token = minter.person_token(JANE)

    claims = verify(token, minter.jwks, "myhandicap-api")

    assert claims["sub"] == JANE
    assert claims["amr"] == ["itsme"]
    assert claims["acr"] == "urn:be:fedict:iam:fas:Level450"
    assert jwt.get_unverified_header(token)["kid"] == minter.kid


def test_professionals_get_their_role_from_the_register(
    minter: TokenMinter, verify: Any
) -> None:
    token = minter.person_token(SOFIE_OCMW, method="eid")

    claims = verify(token, minter.jwks, "ssm-api")

    assert claims["roles"] == ["professional"]
    assert claims["organisation"] == "OCMW Gent"


def test_claims_can_be_overridden_or_removed(minter: TokenMinter, verify: Any) -> None:
    token = minter.person_token(
        JANE, audience="elsewhere", locale="fr", acr=None, roles=["professional"]
    )

    claims = verify(token, minter.jwks, "elsewhere")

    assert claims["locale"] == "fr"
    assert "acr" not in claims
    assert claims["roles"] == ["professional"]


def test_a_person_outside_the_register_must_be_crafted(minter: TokenMinter) -> None:
    with pytest.raises(LookupError):
        minter.person_token("85073003328")


def test_service_tokens_take_audiences_from_their_scopes(
    minter: TokenMinter, verify: Any
) -> None:
    token = minter.service_token("myhandicap-api", ["ssm:authorize"], expires_in=60)

    claims = verify(token, minter.jwks, "ssm-api")

    assert claims["aud"] == ["ssm-api"]
    assert claims["scope"] == "ssm:authorize"
    assert claims["sub"] == claims["client_id"] == "myhandicap-api"
    assert claims["exp"] - claims["iat"] == 60


def test_a_service_token_for_an_unknown_scope_needs_an_audience(
    minter: TokenMinter,
) -> None:
    with pytest.raises(ValueError, match="audience"):
        minter.service_token("partner-demo", ["mystery:scope"])


def test_expired_tokens_are_refused_by_verifiers(
    minter: TokenMinter, verify: Any
) -> None:
    token = minter.person_token(JANE, expires_in=-60)

    with pytest.raises(jwt.ExpiredSignatureError):
        verify(token, minter.jwks, "ssm-api")


def test_crafted_tokens_keep_exactly_their_claims(minter: TokenMinter) -> None:
    token = minter.token({"sub": "anyone"}, kid="unknown-key")

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, minter.key.public_key, algorithms=["RS256"])

    assert header["kid"] == "unknown-key"
    assert claims == {"sub": "anyone"}


def test_unsigned_tokens_say_alg_none_and_have_no_signature() -> None:
    token = unsigned_token({"sub": JANE})

    header_part, payload_part, signature = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_part + "=="))

    assert header["alg"] == "none"
    assert signature == ""
    assert json.loads(base64.urlsafe_b64decode(payload_part + "==")) == {"sub": JANE}


def test_stub_settings_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDP_ENVIRONMENT", "production")
    monkeypatch.setenv("IDP_TOKEN_LIFETIME_SECONDS", "5")

    settings = stub_settings(token_lifetime_seconds=60)

    assert isinstance(settings, Settings)
    assert settings.environment == "test"
    assert settings.issuer == TEST_ISSUER
    assert settings.token_lifetime_seconds == 60


@pytest.mark.anyio
async def test_the_stub_app_serves_the_minters_key_and_accepts_its_tokens(
    minter: TokenMinter,
) -> None:
    transport = httpx.ASGITransport(app=stub_app_for(minter))
    token = minter.service_token("ssm-api", ["register:read"])

    async with httpx.AsyncClient(transport=transport, base_url=minter.issuer) as http:
        jwks = (await http.get("/jwks.json")).json()
        response = await http.get(
            f"/register/persons/{JANE}", headers={"Authorization": f"Bearer {token}"}
        )

    assert jwks == minter.jwks
    assert response.status_code == 200
