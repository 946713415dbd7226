"""Builders shared by the SSM tests: people of the demo register, request bodies."""

from typing import Any

import httpx

from identity_stub.testing import TokenMinter

JANE = "01010112301"  # Gentsteenweg 123, 9000 Gent
JAN = "12121212376"  # Schoolstraat 1, 9000 Gent
AN = "78042304657"
BART = "52090713336"  # Dorpsstraat 5, 9050 Gentbrugge

JAN_ADDRESS = {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"}
JANE_ADDRESS = {"street": "Gentsteenweg", "house_number": "123", "postal_code": "9000"}


def bearer(minter: TokenMinter, nrn: str, **overrides: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {minter.person_token(nrn, **overrides)}"}


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
    client: httpx.AsyncClient, minter: TokenMinter, initiator: str = JANE, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/mandates", json=mandate_body(**overrides), headers=bearer(minter, initiator)
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
