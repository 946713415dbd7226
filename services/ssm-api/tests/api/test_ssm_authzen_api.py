import httpx
import pytest

from identity_stub.register import find
from identity_stub.testing import TokenMinter

from ..support import AN, BART, JAN, JANE, bearer, create_mandate, sign

pytestmark = pytest.mark.anyio

EVALUATION = "/access/v1/evaluation"


def service(minter: TokenMinter, scopes: str = "ssm:authorize") -> dict[str, str]:
    token = minter.service_token("myhandicap-api", scopes, audience="ssm-api")
    return {"Authorization": f"Bearer {token}"}


def question(
    subject: str = JANE, resource: str = JAN, **extra: object
) -> dict[str, object]:
    return {
        "subject": {"type": "person", "id": subject},
        "action": {"name": "MYHANDICAP"},
        "resource": {"type": "person", "id": resource},
        **extra,
    }


async def test_an_active_mandate_allows_and_a_stop_denies_at_once(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)
    pending = await ssm.post(EVALUATION, json=question(), headers=service(minter))
    await sign(ssm, minter, created["id"])

    allowed = await ssm.post(EVALUATION, json=question(), headers=service(minter))
    await ssm.post(
        f"/v1/mandates/{created['id']}/stop",
        json={"accept_conditions": True},
        headers=bearer(minter, JAN),
    )
    after_stop = [
        (await ssm.post(EVALUATION, json=question(), headers=service(minter))).json()
        for _ in range(100)
    ]

    assert pending.json() == {"decision": False, "context": {"reason": "pending"}}
    assert allowed.headers["cache-control"] == "no-store"
    assert allowed.json() == {
        "decision": True,
        "context": {"mandate_id": created["id"], "end_date": None},
    }
    assert all(
        a == {"decision": False, "context": {"reason": "stopped"}} for a in after_stop
    )


async def test_person_tokens_cannot_ask(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await ssm.post(EVALUATION, json=question(), headers=bearer(minter, JANE))

    assert response.status_code == 403


async def test_search_lists_represented_persons_by_name_in_pages(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    for nrn in ["52090713336", "49113020895", "00022906479", "38051701121"]:
        person = find(nrn)
        assert person is not None
        address = person.address
        counterparty = {
            "national_number": nrn,
            "street": address.street,
            "house_number": address.house_number,
            "postal_code": address.postal_code,
        }
        created = await create_mandate(
            ssm, minter, AN, counterparty=counterparty, reference=None
        )
        assert (await sign(ssm, minter, created["id"], nrn)).status_code == 200
    body = {
        "subject": {"type": "person", "id": AN},
        "action": {"name": "MYHANDICAP"},
        "resource": {"type": "person"},
        "page": {"limit": 3},
    }

    first = await ssm.post(
        "/access/v1/search/resource", json=body, headers=service(minter)
    )
    body["page"] = {"limit": 3, "token": first.json()["page"]["next_token"]}
    second = await ssm.post(
        "/access/v1/search/resource", json=body, headers=service(minter)
    )

    names = [r["properties"]["last_name"] for r in first.json()["results"]]
    assert names == ["Claes", "Dubois", "Goossens"]
    assert [r["id"] for r in second.json()["results"]] == ["38051701121"]
    assert second.json()["page"]["next_token"] == ""
    assert first.json()["results"][0]["id"] == BART
