from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

pytestmark = pytest.mark.anyio

JANE = "01010112301"
SOFIE_OCMW = "83012625041"
PIETER_FUND = "75060931166"
LICHTBOEI_VZW = "98051200183"


async def dev_token(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/dev/tokens", json=body)


@pytest.mark.parametrize(
    ("method", "amr", "acr"),
    [
        ("eid", "eid", "urn:be:fedict:iam:fas:Level500"),
        ("itsme", "itsme", "urn:be:fedict:iam:fas:Level450"),
        ("password", "pwd", "urn:be:fedict:iam:fas:Level100"),
    ],
)
async def test_a_person_token_carries_the_method_and_its_level(
    client: httpx.AsyncClient, verify: Any, method: str, amr: str, acr: str
) -> None:
    jwks = (await client.get("/jwks.json")).json()

    response = await dev_token(client, national_number=JANE, method=method)

    body = response.json()
    claims = verify(body["access_token"], jwks, "ssm-api")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert claims["amr"] == [amr]
    assert claims["acr"] == acr
    assert claims["sub"] == JANE
    assert (claims["given_name"], claims["family_name"]) == ("Jane", "Doe")
    assert claims["locale"] == "nl"
    assert claims["client_id"] == "dev-portal"
    assert claims["aud"] == ["ssm-api", "myhandicap-api"]
    assert claims["exp"] - claims["iat"] == 900
    assert claims["nbf"] == claims["iat"]
    assert claims["jti"]
    assert "roles" not in claims
    assert "organisation" not in claims


@pytest.mark.parametrize(
    ("nrn", "organisation"),
    [(SOFIE_OCMW, "OCMW Gent"), (PIETER_FUND, "Ziekenfonds Vlaanderen")],
)
async def test_a_professional_token_names_the_role_and_organisation(
    client: httpx.AsyncClient, verify: Any, nrn: str, organisation: str
) -> None:
    jwks = (await client.get("/jwks.json")).json()

    response = await dev_token(client, national_number=nrn, method="eid")

    claims = verify(response.json()["access_token"], jwks, "myhandicap-api")
    assert claims["roles"] == ["professional"]
    assert claims["organisation"] == organisation


async def test_separators_in_the_number_are_stripped(
    client: httpx.AsyncClient, verify: Any
) -> None:
    jwks = (await client.get("/jwks.json")).json()

    response = await dev_token(client, national_number="01.01.01-123.01", method="eid")

    assert verify(response.json()["access_token"], jwks, "ssm-api")["sub"] == JANE


async def test_someone_outside_the_register_gets_404(client: httpx.AsyncClient) -> None:
    response = await dev_token(client, national_number="85073003328", method="eid")

    problem = response.json()
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert set(problem) == {"type", "title", "status", "detail", "instance"}
    assert problem["status"] == 404
    assert problem["instance"] == "/dev/tokens"


async def test_an_organisation_cannot_log_in(client: httpx.AsyncClient) -> None:
    response = await dev_token(client, national_number=LICHTBOEI_VZW, method="eid")

    assert response.status_code == 404


async def test_unknown_fields_are_rejected(client: httpx.AsyncClient) -> None:
    response = await dev_token(
        client, national_number=JANE, method="eid", role="professional"
    )

    problem = response.json()
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["errors"][0]["field"] == "role"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"national_number": "01010112302", "method": "eid"}, "national_number"),
        ({"national_number": JANE, "method": "sms"}, "method"),
        ({"national_number": JANE}, "method"),
    ],
)
async def test_bad_input_is_named_field_by_field(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    response = await client.post("/dev/tokens", json=body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_issuing_logs_the_method_but_no_person_data(
    client: httpx.AsyncClient,
) -> None:
    with capture_logs() as logs:
        response = await dev_token(client, national_number=JANE, method="itsme")

    token = response.json()["access_token"]
    (event,) = [e for e in logs if e["event"] == "token.issued"]
    assert event["method"] == "itsme"
    assert event["client_id"] == "dev-portal"
    assert not any(
        secret in str(value)
        for e in logs
        for value in e.values()
        for secret in (JANE, "Jane", "Doe", token)
    )


async def test_the_register_lists_every_person(client: httpx.AsyncClient) -> None:
    response = await client.get("/dev/persons")

    persons = response.json()
    jane = next(p for p in persons if p["national_number"] == JANE)
    assert response.status_code == 200
    assert len(persons) >= 15
    assert jane == {
        "national_number": JANE,
        "first_name": "Jane",
        "last_name": "Doe",
        "birth_date": "2001-01-01",
        "address": {
            "street": "Gentsteenweg",
            "house_number": "123",
            "postal_code": "9000",
            "municipality": "Gent",
        },
        "natural_person": True,
        "professional": None,
    }
