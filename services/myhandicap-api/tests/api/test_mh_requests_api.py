"""Tokens, levels of assurance and input checks, on every route."""

import pytest

pytestmark = pytest.mark.anyio

BART = "52090713336"
ROUTES = [
    ("GET", "/v1/me"),
    ("GET", "/v1/represented-persons"),
    ("GET", f"/v1/dossiers/{BART}"),
    ("GET", f"/v1/dossiers/{BART}/applications"),
    ("POST", f"/v1/dossiers/{BART}/applications"),
    ("GET", f"/v1/dossiers/{BART}/access-log"),
]


def body_for(method):
    return {"kind": "parking_card"} if method == "POST" else None


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_no_token_gets_401_with_a_bearer_challenge(client, method, path):
    response = await client.request(method, path, json=body_for(method))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_a_password_login_is_too_weak(client, login, method, path):
    response = await client.request(
        method, path, json=body_for(method), headers=login(BART, method="password")
    )

    assert response.status_code == 403


async def test_a_token_for_another_audience_gets_401(client, login):
    response = await client.get("/v1/me", headers=login(BART, aud="ssm-api"))

    assert response.status_code == 401


async def test_a_token_of_another_issuer_gets_401(client, login):
    response = await client.get("/v1/me", headers=login(BART, iss="http://evil.test"))

    assert response.status_code == 401


async def test_a_forged_token_gets_401(client):
    headers = {"Authorization": "Bearer not.a.jwt"}

    response = await client.get("/v1/me", headers=headers)

    assert response.status_code == 401


async def test_a_service_token_is_not_a_person(client, minter):
    token = minter.service_token(
        "partner-demo", ["ssm:authorize"], audience="myhandicap-api"
    )

    response = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403


async def test_a_token_whose_subject_is_no_national_number_gets_401(client, login):
    response = await client.get("/v1/me", headers=login(BART, sub="not-a-number"))

    assert response.status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/v1/dossiers/52090713337",
        "/v1/dossiers/52.09.07-133.37/applications",
        "/v1/dossiers/5209071333/access-log",
        "/v1/dossiers/abcdefghijk",
    ],
)
async def test_a_wrong_national_number_in_the_path_gets_422(client, login, path):
    response = await client.get(path, headers=login(BART))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "nrn"


async def test_a_wrong_national_number_gets_422_on_submission_too(client, login):
    response = await client.post(
        "/v1/dossiers/52090713337/applications",
        json={"kind": "parking_card"},
        headers=login(BART),
    )

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "parking_card", "urgent": True}, "urgent"),
        ({"kind": "holiday_allowance"}, "kind"),
        ({}, "kind"),
        ({"kind": "parking_card", "note": "x" * 2001}, "note"),
        ({"kind": "parking_card", "status": "decided"}, "status"),
    ],
)
async def test_an_invalid_application_gets_422_naming_the_field(
    client, login, body, field
):
    response = await client.post(
        f"/v1/dossiers/{BART}/applications", json=body, headers=login(BART)
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_a_body_over_the_limit_gets_413(client, login):
    body = {"kind": "parking_card", "note": "x" * 70_000}

    response = await client.post(
        f"/v1/dossiers/{BART}/applications", json=body, headers=login(BART)
    )

    assert response.status_code == 413
