import time
from collections.abc import Callable

import httpx
import pytest
from structlog.testing import capture_logs

from identity_stub.keys import SigningKey
from identity_stub.testing import TokenMinter, unsigned_token

pytestmark = pytest.mark.anyio

JAN = "12121212376"
UNKNOWN = "85073003328"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def read(client: httpx.AsyncClient, nrn: str, token: str) -> httpx.Response:
    return await client.get(f"/register/persons/{nrn}", headers=bearer(token))


async def test_without_a_token_the_caller_is_challenged(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"/register/persons/{JAN}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "error=" not in response.headers["www-authenticate"]
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_token_from_the_token_endpoint_reads_a_person(
    client: httpx.AsyncClient,
) -> None:
    issued = await client.post(
        "/token",
        data={"grant_type": "client_credentials", "scope": "register:read"},
        auth=("ssm-api", "ssm-api-secret"),
    )

    response = await read(client, JAN, issued.json()["access_token"])

    person = response.json()
    assert response.status_code == 200
    assert person["national_number"] == JAN
    assert (person["first_name"], person["last_name"]) == ("Jan", "Peters")
    assert person["address"]["street"] == "Schoolstraat"
    assert "locale" not in person


async def test_separators_in_the_path_are_stripped(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.service_token("ssm-api", ["register:read"])

    response = await read(client, "12.12.12-123.76", token)

    assert response.status_code == 200


async def test_a_person_token_is_not_for_the_register(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.person_token("01010112301", method="eid")

    response = await read(client, JAN, token)

    # Person tokens are addressed to the services, not to the register: the
    # audience does not match, so the token is invalid here (401, not 403).
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_a_token_endpoint_token_without_the_scope_is_not_for_the_register(
    client: httpx.AsyncClient,
) -> None:
    issued = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("partner-demo", "partner-demo-secret"),
    )

    response = await read(client, JAN, issued.json()["access_token"])

    assert response.status_code == 401


async def test_a_register_token_without_register_read_is_forbidden(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.service_token("partner-demo", ["ssm:authorize"], audience="register")

    response = await read(client, JAN, token)

    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert response.json()["status"] == 403


async def test_an_unknown_person_is_404(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.service_token("ssm-api", ["register:read"])

    response = await read(client, UNKNOWN, token)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not Found"


async def test_a_wrong_checksum_is_422(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.service_token("ssm-api", ["register:read"])

    response = await read(client, "12121212377", token)

    assert response.status_code == 422


def _other_issuer(minter: TokenMinter) -> str:
    return TokenMinter(issuer="http://elsewhere.test", key=minter.key).service_token(
        "ssm-api", ["register:read"]
    )


def _other_key(minter: TokenMinter) -> str:
    return TokenMinter(issuer=minter.issuer, key=SigningKey.generate()).service_token(
        "ssm-api", ["register:read"]
    )


def _expired(minter: TokenMinter) -> str:
    return minter.service_token("ssm-api", ["register:read"], expires_in=-60)


def _unsigned(minter: TokenMinter) -> str:
    now = int(time.time())
    claims = {"iss": minter.issuer, "aud": "register", "sub": "ssm-api"}
    return unsigned_token(
        claims | {"iat": now, "exp": now + 60, "scope": "register:read"}
    )


def _other_algorithm(minter: TokenMinter) -> str:
    now = int(time.time())
    claims = {"iss": minter.issuer, "aud": "register", "sub": "ssm-api"}
    return minter.token(
        claims | {"iat": now, "exp": now + 60, "scope": "register:read"},
        algorithm="RS512",
    )


@pytest.mark.parametrize(
    "make_token", [_other_issuer, _other_key, _expired, _unsigned, _other_algorithm]
)
async def test_bad_tokens_are_401(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    make_token: Callable[[TokenMinter], str],
) -> None:
    token = make_token(minter)

    response = await read(client, JAN, token)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_refusals_are_logged_without_the_number_or_token(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    token = minter.person_token("01010112301", audience="register")

    with capture_logs() as logs:
        response = await read(client, JAN, token)

    (event,) = logs
    assert response.status_code == 403
    assert event["event"] == "access.denied"
    assert event["reason"] == "insufficient_scope"
    assert event["client_id"] == "dev-portal"
    assert not any(
        secret in str(value)
        for value in event.values()
        for secret in ("01010112301", JAN, token)
    )
