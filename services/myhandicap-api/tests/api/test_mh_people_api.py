"""Who is logged in, and whom he or she represents."""

import pytest

pytestmark = pytest.mark.anyio

AN = "78042304657"
SOFIE = "83012625041"


async def test_me_for_a_citizen(client, login):
    response = await client.get("/v1/me", headers=login(AN, method="eid"))

    assert response.status_code == 200
    assert response.json() == {
        "national_number": AN,
        "first_name": "An",
        "last_name": "Ansoms",
        "kind": "citizen",
        "organisation": None,
        "manage_mandates_url": "http://ssm.test/v1/mandates/overview",
    }


async def test_me_for_a_professional(client, login):
    response = await client.get("/v1/me", headers=login(SOFIE))

    assert response.json()["kind"] == "professional"
    assert response.json()["organisation"] == "OCMW Gent"


async def test_an_organisation_claim_without_the_role_makes_no_professional(
    client, login
):
    response = await client.get("/v1/me", headers=login(AN, organisation="OCMW Gent"))

    assert response.json()["kind"] == "citizen"
    assert response.json()["organisation"] is None


async def test_represented_persons_are_every_page_sorted_by_name(
    client, login, fake_ssm
):
    fake_ssm.grant(AN, "38051701121", "Hendrik", "Willems", "m-4")
    fake_ssm.grant(AN, "49113020895", "Chantal", "Dubois", "m-2")
    fake_ssm.grant(AN, "52090713336", "Bart", "Claes", "m-1")
    fake_ssm.grant(AN, "00022906479", "Emma", "Goossens", "m-3")
    fake_ssm.grant("12121212376", "01010112301", "Jane", "Doe", "m-9")

    response = await client.get("/v1/represented-persons", headers=login(AN))

    assert response.status_code == 200
    items = response.json()["items"]
    assert [p["last_name"] for p in items] == ["Claes", "Dubois", "Goossens", "Willems"]
    assert items[0] == {
        "mandate_id": "m-1",
        "national_number": "52090713336",
        "first_name": "Bart",
        "last_name": "Claes",
        "active_since": "2026-11-01",
        "end_date": None,
    }
    assert len(fake_ssm.requests) == 2


async def test_represented_persons_need_ssm(client, login, fake_ssm):
    fake_ssm.failure = "error"

    response = await client.get("/v1/represented-persons", headers=login(AN))

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
