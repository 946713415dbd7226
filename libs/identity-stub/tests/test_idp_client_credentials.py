from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

pytestmark = pytest.mark.anyio


async def ask_token(
    client: httpx.AsyncClient, auth: tuple[str, str] | None = None, **form: str
) -> httpx.Response:
    return await client.post(
        "/token",
        data={"grant_type": "client_credentials"} | form,
        auth=httpx.BasicAuth(*auth) if auth else httpx.USE_CLIENT_DEFAULT,
    )


async def test_a_client_gets_a_token_with_form_credentials(
    client: httpx.AsyncClient, verify: Any
) -> None:
    jwks = (await client.get("/jwks.json")).json()

    response = await ask_token(
        client,
        client_id="ssm-api",
        client_secret="ssm-api-secret",
        scope="register:read",
    )

    body = response.json()
    claims = verify(body["access_token"], jwks, "register")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "register:read"
    assert claims["sub"] == claims["client_id"] == "ssm-api"
    assert claims["scope"] == "register:read"
    assert claims["aud"] == ["register"]
    assert "acr" not in claims


async def test_a_client_gets_a_token_with_basic_credentials(
    client: httpx.AsyncClient,
) -> None:
    response = await ask_token(
        client, auth=("partner-demo", "partner-demo-secret"), scope="ssm:authorize"
    )

    assert response.status_code == 200
    assert response.json()["scope"] == "ssm:authorize"


async def test_without_scope_every_granted_scope_is_given(
    client: httpx.AsyncClient, verify: Any
) -> None:
    jwks = (await client.get("/jwks.json")).json()

    response = await ask_token(
        client, client_id="myhandicap-api", client_secret="myhandicap-api-secret"
    )

    claims = verify(response.json()["access_token"], jwks, "ssm-api")
    assert set(claims["scope"].split()) == {"ssm:authorize", "register:read"}
    assert sorted(claims["aud"]) == ["register", "ssm-api"]


async def test_a_wrong_secret_is_refused(client: httpx.AsyncClient) -> None:
    response = await ask_token(
        client, client_id="ssm-api", client_secret="partner-demo-secret"
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["error_description"]
    assert response.headers["cache-control"] == "no-store"


async def test_a_wrong_basic_secret_is_challenged(client: httpx.AsyncClient) -> None:
    response = await ask_token(client, auth=("ssm-api", "guess"))

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_an_unknown_client_is_refused(client: httpx.AsyncClient) -> None:
    response = await ask_token(
        client, client_id="stranger", client_secret="stranger-secret"
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_missing_credentials_are_refused(client: httpx.AsyncClient) -> None:
    response = await ask_token(client)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_a_scope_not_granted_is_refused(client: httpx.AsyncClient) -> None:
    response = await ask_token(
        client,
        client_id="partner-demo",
        client_secret="partner-demo-secret",
        scope="ssm:authorize register:read",
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("grant_type", ["password", "authorization_code"])
async def test_other_grants_are_unsupported(
    client: httpx.AsyncClient, grant_type: str
) -> None:
    response = await ask_token(
        client,
        grant_type=grant_type,
        client_id="ssm-api",
        client_secret="ssm-api-secret",
    )

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_a_missing_grant_is_an_invalid_request(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token", data={"client_id": "ssm-api", "client_secret": "ssm-api-secret"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_two_ways_of_authenticating_are_an_invalid_request(
    client: httpx.AsyncClient,
) -> None:
    response = await ask_token(
        client, auth=("ssm-api", "ssm-api-secret"), client_secret="ssm-api-secret"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_basic_credentials_are_form_decoded(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic c3NtJTJEYXBpOnNzbS1hcGktc2VjcmV0"},
    )

    assert response.status_code == 200


async def test_garbled_basic_credentials_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic not-base64!"},
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_another_scheme_is_not_client_authentication(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials", "client_id": "ssm-api"},
        headers={"Authorization": "Bearer something"},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_two_different_client_ids_are_an_invalid_request(
    client: httpx.AsyncClient,
) -> None:
    response = await ask_token(
        client, auth=("ssm-api", "ssm-api-secret"), client_id="partner-demo"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_refusals_are_logged_without_secrets(client: httpx.AsyncClient) -> None:
    with capture_logs() as logs:
        await ask_token(client, client_id="ssm-api", client_secret="guessed-secret")

    (event,) = logs
    assert event == {
        "event": "token.refused",
        "error": "invalid_client",
        "log_level": "warning",
    }
