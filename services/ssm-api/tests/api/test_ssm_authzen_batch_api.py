from datetime import timedelta
from typing import Any

import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..support import (
    AN,
    BART,
    JAN,
    JANE,
    TODAY,
    act,
    address_of,
    assert_invalid,
    create_mandate,
    sign,
)

pytestmark = pytest.mark.anyio

EVALUATIONS = "/access/v1/evaluations"
EVALUATION = "/access/v1/evaluation"
SEARCH = "/access/v1/search/resource"


def service(minter: TokenMinter, scopes: str = "ssm:authorize") -> dict[str, str]:
    token = minter.service_token("myhandicap-api", scopes, audience="ssm-api")
    return {"Authorization": f"Bearer {token}"}


def person(nrn: str) -> dict[str, str]:
    return {"type": "person", "id": nrn}


async def active_mandate(client: httpx.AsyncClient, minter: TokenMinter) -> str:
    created = await create_mandate(client, minter)
    assert (await sign(client, minter, created["id"])).status_code == 200
    mandate_id: str = created["id"]
    return mandate_id


def batch(semantic: str | None, *resources: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": person(JANE),
        "action": {"name": "MYHANDICAP"},
        "evaluations": [{"resource": person(nrn)} for nrn in resources],
    }
    if semantic is not None:
        body["options"] = {"evaluations_semantic": semantic}
    return body


def decisions(response: httpx.Response) -> list[bool]:
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return [answer["decision"] for answer in response.json()["evaluations"]]


async def test_discovery_names_the_endpoints(ssm: httpx.AsyncClient) -> None:
    response = await ssm.get("/.well-known/authzen-configuration")

    assert response.json() == {
        "policy_decision_point": "http://ssm.test",
        "access_evaluation_endpoint": "http://ssm.test/access/v1/evaluation",
        "access_evaluations_endpoint": "http://ssm.test/access/v1/evaluations",
        "search_resource_endpoint": "http://ssm.test/access/v1/search/resource",
    }


@pytest.mark.parametrize(
    ("semantic", "expected"),
    [
        (None, [False, True, False]),
        ("execute_all", [False, True, False]),
        ("deny_on_first_deny", [False]),
        ("permit_on_first_permit", [False, True]),
    ],
)
async def test_a_batch_follows_its_semantic(
    ssm: httpx.AsyncClient,
    minter: TokenMinter,
    semantic: str | None,
    expected: list[bool],
) -> None:
    await active_mandate(ssm, minter)

    response = await ssm.post(
        EVALUATIONS, json=batch(semantic, BART, JAN, AN), headers=service(minter)
    )

    assert decisions(response) == expected


async def test_a_question_overrides_the_batch_defaults(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await active_mandate(ssm, minter)
    body = batch(None, JAN)
    body["evaluations"].append(
        {"subject": person(JAN), "resource": person(JANE)}  # the other way round
    )

    response = await ssm.post(EVALUATIONS, json=body, headers=service(minter))

    assert decisions(response) == [True, False]
    assert response.json()["evaluations"][1]["context"] == {"reason": "no_mandate"}


async def test_a_batch_without_questions_is_one_question(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await active_mandate(ssm, minter)
    body = {
        "subject": person(JANE),
        "action": {"name": "MYHANDICAP"},
        "resource": person(JAN),
    }

    response = await ssm.post(EVALUATIONS, json=body, headers=service(minter))

    assert decisions(response) == [True]


async def test_a_question_missing_its_resource_is_malformed(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    body = {
        "subject": person(JANE),
        "action": {"name": "MYHANDICAP"},
        "evaluations": [{}],
    }

    response = await ssm.post(EVALUATIONS, json=body, headers=service(minter))

    assert_invalid(response, "evaluations.0")


async def test_the_date_in_the_context_is_the_day_asked_about(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    tomorrow, next_week = TODAY + timedelta(days=1), TODAY + timedelta(days=7)
    created = await create_mandate(
        ssm,
        minter,
        start_date=tomorrow.isoformat(),
        end_date=next_week.isoformat(),
    )
    await sign(ssm, minter, created["id"])

    answers = {}
    for day in (TODAY, tomorrow, next_week - timedelta(days=1), next_week):
        body = {
            "subject": person(JANE),
            "action": {"name": "MYHANDICAP"},
            "resource": person(JAN),
            "context": {"date": day.isoformat()},
        }
        response = await ssm.post(EVALUATION, json=body, headers=service(minter))
        answers[day] = response.json()

    assert answers[TODAY] == {"decision": False, "context": {"reason": "scheduled"}}
    assert answers[tomorrow]["decision"] is True
    assert answers[tomorrow]["context"]["end_date"] == next_week.isoformat()
    assert answers[next_week - timedelta(days=1)]["decision"] is True
    assert answers[next_week] == {"decision": False, "context": {"reason": "ended"}}


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("subject.id", {"subject": person("12121212377")}),
        ("resource.id", {"resource": person("not-a-number")}),
        ("subject.type", {"subject": {"type": "enterprise", "id": JANE}}),
        ("unknown", {"unknown": 1}),
    ],
)
async def test_a_malformed_question_gets_422(
    ssm: httpx.AsyncClient, minter: TokenMinter, field: str, body: dict[str, Any]
) -> None:
    question = {
        "subject": person(JANE),
        "action": {"name": "MYHANDICAP"},
        "resource": person(JAN),
    } | body

    response = await ssm.post(EVALUATION, json=question, headers=service(minter))

    assert_invalid(response, field)


async def test_an_unknown_mandate_type_is_no_mandate(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    await active_mandate(ssm, minter)
    body = {
        "subject": person(JANE),
        "action": {"name": "TAXES"},
        "resource": person(JAN),
    }

    response = await ssm.post(EVALUATION, json=body, headers=service(minter))

    assert response.json() == {"decision": False, "context": {"reason": "no_mandate"}}


@pytest.mark.parametrize("path", [EVALUATION, EVALUATIONS, SEARCH])
async def test_a_service_without_the_scope_gets_403(
    ssm: httpx.AsyncClient, minter: TokenMinter, path: str
) -> None:
    response = await ssm.post(path, json={}, headers=service(minter, "register:read"))

    assert response.status_code == 403


@pytest.mark.parametrize("path", [EVALUATIONS, SEARCH])
async def test_a_person_cannot_ask_either(
    ssm: httpx.AsyncClient, minter: TokenMinter, path: str
) -> None:
    token = minter.person_token(JANE, method="eid")

    response = await ssm.post(
        path, json={}, headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 403


async def test_search_skips_what_is_not_active_and_refuses_a_forged_page(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    pending = await create_mandate(
        ssm, minter, AN, counterparty={"national_number": BART, **address_of(BART)}
    )
    stopped = await create_mandate(
        ssm, minter, AN, counterparty={"national_number": JAN, **address_of(JAN)}
    )
    await sign(ssm, minter, stopped["id"], JAN)
    await act(ssm, minter, stopped["id"], "stop", JAN)
    body: dict[str, Any] = {
        "subject": person(AN),
        "action": {"name": "MYHANDICAP"},
        "resource": {"type": "person"},
    }

    listed = await ssm.post(SEARCH, json=body, headers=service(minter))
    body["page"] = {"token": "forged"}
    forged = await ssm.post(SEARCH, json=body, headers=service(minter))

    assert pending["status"] == "pending"
    assert listed.json() == {"results": [], "page": {"next_token": ""}}
    assert_invalid(forged, "page.token")
