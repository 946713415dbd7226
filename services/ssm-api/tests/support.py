"""Builders shared by the SSM tests: people of the demo register, request bodies."""

from datetime import date
from http import HTTPStatus
from typing import Any

import httpx

from identity_stub.register import find
from identity_stub.testing import TokenMinter

JANE = "01010112301"  # Gentsteenweg 123, 9000 Gent
JAN = "12121212376"  # Schoolstraat 1, 9000 Gent
AN = "78042304657"
BART = "52090713336"  # Dorpsstraat 5, 9050 Gentbrugge
CHANTAL = "49113020895"  # a French speaker, Rue Haute 3, 1000 Bruxelles
LUKAS = "91100511765"  # a German speaker, Bergstraße 21, 4700 Eupen
ELODIE = "86080217476"  # Rue de l'Église 12, 4000 Liège
LICHTBOEI = "98051200183"  # the register's one entry that is no natural person

JAN_ADDRESS = {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"}
JANE_ADDRESS = {"street": "Gentsteenweg", "house_number": "123", "postal_code": "9000"}

TODAY = date(2026, 12, 3)  # the date of the `clock` fixture in Brussels
PROBLEM_TYPE_BASE = "urn:mandates:problem:"
NO_MANDATES = {
    "active": 0,
    "to_sign": 0,
    "awaiting_other_party": 0,
    "awaiting_transfer": 0,
    "scheduled": 0,
    "history": 0,
}


def bearer(minter: TokenMinter, nrn: str, **overrides: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {minter.person_token(nrn, **overrides)}"}


def address_of(nrn: str) -> dict[str, str]:
    person = find(nrn)
    assert person is not None, nrn
    address = person.address
    return {
        "street": address.street,
        "house_number": address.house_number,
        "postal_code": address.postal_code,
    }


def search_body(nrn: str = JAN, **overrides: Any) -> dict[str, Any]:
    return {"national_number": nrn, **address_of(nrn)} | overrides


def with_check_digits(first_nine: str) -> str:
    """Complete nine digits of someone born before 2000 into a valid number."""
    return f"{first_nine}{97 - int(first_nine) % 97:02d}"


def mandate_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "MYHANDICAP",
        "role": "mandatary",
        "counterparty": {"national_number": JAN, **JAN_ADDRESS},
        "reference": "papa",
        "language": "nl",
        "accept_conditions": True,
    }
    return body | overrides


async def create_mandate(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    initiator: str = JANE,
    **overrides: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/v1/mandates",
        json=mandate_body(**overrides),
        headers=bearer(minter, initiator),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def sign(
    client: httpx.AsyncClient, minter: TokenMinter, mandate_id: str, nrn: str = JAN
) -> httpx.Response:
    return await client.post(
        f"/v1/mandates/{mandate_id}/sign",
        json={"accept_conditions": True},
        headers=bearer(minter, nrn),
    )


ACTION_BODIES: dict[str, dict[str, Any] | None] = {
    "sign": {"accept_conditions": True},
    "refuse": {"reason": "liever niet"},
    "withdraw": None,
    "stop": {"accept_conditions": True, "reason": "verhuisd"},
}


async def act(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    mandate_id: str,
    action: str,
    nrn: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    """Post one transition (sign, refuse, withdraw, stop) with its usual body."""
    return await client.post(
        f"/v1/mandates/{mandate_id}/{action}",
        json=body if body is not None else ACTION_BODIES[action],
        headers=bearer(minter, nrn),
    )


async def read_mandate(
    client: httpx.AsyncClient, minter: TokenMinter, mandate_id: str, nrn: str = JANE
) -> dict[str, Any]:
    response = await client.get(
        f"/v1/mandates/{mandate_id}", headers=bearer(minter, nrn)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def overview(
    client: httpx.AsyncClient, minter: TokenMinter, nrn: str
) -> dict[str, int]:
    response = await client.get("/v1/mandates/overview", headers=bearer(minter, nrn))
    assert response.status_code == 200, response.text
    counts: dict[str, int] = response.json()
    return counts


async def listed(
    client: httpx.AsyncClient, minter: TokenMinter, nrn: str, view: str
) -> list[str]:
    """Return the ids of the person's mandates in one view, in the order shown."""
    response = await client.get(
        "/v1/mandates", params={"view": view}, headers=bearer(minter, nrn)
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    """Check an RFC 9457 problem document and return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM_TYPE_BASE + slug
    assert body["title"] == HTTPStatus(status).phrase
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    return body


def assert_invalid(response: httpx.Response, *fields: str) -> dict[str, Any]:
    """Check a 422 problem that names exactly these invalid fields."""
    body = assert_problem(response, 422, "invalid-input")
    assert [e["field"] for e in body["errors"]] == list(fields)
    assert all(isinstance(e["message"], str) and e["message"] for e in body["errors"])
    return body
