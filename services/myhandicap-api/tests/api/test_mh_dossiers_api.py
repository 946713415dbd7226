"""Dossier routes in-process, with a fake SSM behind the pooled client."""

import pytest

pytestmark = pytest.mark.anyio

AN = "78042304657"  # An Ansoms, who helps others
BART = "52090713336"  # Bart Claes, whom An helps
JAN = "12121212376"  # Jan Peters, a stranger to Bart
SOFIE = "83012625041"  # Sofie Verhaegen, professional at OCMW Gent
ELSEWHERE = "49113020895"


def without_instance(problem):
    return {k: v for k, v in problem.items() if k != "instance"}


def grant_an_for_bart(fake_ssm):
    fake_ssm.grant(AN, BART, "Bart", "Claes", "m-bart")


async def submit(client, headers, owner=BART, kind="parking_card", note=None):
    body = {"kind": kind} | ({"note": note} if note else {})
    return await client.post(
        f"/v1/dossiers/{owner}/applications", json=body, headers=headers
    )


async def test_the_owner_opens_his_own_empty_dossier(client, login, fake_ssm):
    response = await client.get(f"/v1/dossiers/{BART}", headers=login(BART))

    assert response.status_code == 200
    assert response.json() == {
        "person": {"national_number": BART, "first_name": "Bart", "last_name": "Claes"},
        "applications": [],
        "access": {"basis": "own", "mandate_id": None},
    }
    assert fake_ssm.requests == []


async def test_separators_in_the_path_are_accepted(client, login):
    response = await client.get("/v1/dossiers/52.09.07-133.36", headers=login(BART))

    assert response.status_code == 200
    assert response.json()["person"]["national_number"] == BART


async def test_a_professional_opens_any_dossier_and_is_recorded_with_organisation(
    client, login, fake_ssm
):
    await submit(client, login(BART))

    opened = await client.get(f"/v1/dossiers/{BART}", headers=login(SOFIE))
    log = await client.get(f"/v1/dossiers/{BART}/access-log", headers=login(BART))

    assert opened.status_code == 200
    assert opened.json()["access"] == {"basis": "professional", "mandate_id": None}
    assert opened.json()["person"]["last_name"] == "Claes"
    entry = next(e for e in log.json()["items"] if e["action"] == "open_dossier")
    assert entry["actor"] == {
        "national_number": SOFIE,
        "first_name": "Sofie",
        "last_name": "Verhaegen",
        "organisation": "OCMW Gent",
    }
    assert (entry["basis"], entry["outcome"]) == ("professional", "allowed")
    assert fake_ssm.requests == []


async def test_a_mandatary_opens_under_the_active_mandate(client, login, fake_ssm):
    grant_an_for_bart(fake_ssm)

    response = await client.get(f"/v1/dossiers/{BART}", headers=login(AN))

    assert response.status_code == 200
    body = response.json()
    assert body["access"] == {"basis": "mandate", "mandate_id": "m-bart"}
    assert body["person"] == {
        "national_number": BART,
        "first_name": "Bart",
        "last_name": "Claes",
    }


async def test_the_request_id_is_passed_on_to_ssm(client, login, fake_ssm):
    grant_an_for_bart(fake_ssm)

    await client.get(
        f"/v1/dossiers/{BART}", headers=login(AN) | {"X-Request-ID": "trace-123"}
    )

    assert {r.headers["X-Request-ID"] for r in fake_ssm.requests} == {"trace-123"}
    assert fake_ssm.requests[0].headers["Authorization"] == "Bearer svc"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "/applications"),
        ("POST", "/applications"),
        ("GET", "/access-log"),
    ],
)
async def test_without_a_basis_the_answer_is_403_whether_or_not_the_dossier_exists(
    client, login, method, path
):
    await submit(client, login(BART))
    body = {"kind": "parking_card"} if method == "POST" else None

    existing = await client.request(
        method, f"/v1/dossiers/{BART}{path}", json=body, headers=login(JAN)
    )
    missing = await client.request(
        method, f"/v1/dossiers/{ELSEWHERE}{path}", json=body, headers=login(JAN)
    )

    assert existing.status_code == missing.status_code == 403
    assert existing.headers["content-type"] == "application/problem+json"
    for answer in (existing, missing):
        problem = answer.json()
        assert set(problem) >= {"type", "title", "status", "detail", "instance"}
    assert without_instance(existing.json()) == without_instance(missing.json())
    assert "Claes" not in existing.text


async def test_a_mandatary_may_not_read_the_owners_access_log(client, login, fake_ssm):
    grant_an_for_bart(fake_ssm)

    response = await client.get(f"/v1/dossiers/{BART}/access-log", headers=login(AN))

    assert response.status_code == 403
    assert response.json()["type"].endswith("access-log-restricted")


async def test_a_stopped_mandate_stops_access_at_once(client, login, fake_ssm):
    grant_an_for_bart(fake_ssm)
    allowed = await client.get(f"/v1/dossiers/{BART}", headers=login(AN))

    fake_ssm.stop(AN, BART)
    denied = await client.get(f"/v1/dossiers/{BART}", headers=login(AN))

    assert (allowed.status_code, denied.status_code) == (200, 403)
    assert denied.json()["reason"] == "no_mandate"


@pytest.mark.parametrize("failure", ["down", "error", "garbage"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", ""), ("GET", "/applications"), ("POST", "/applications")],
)
async def test_when_ssm_fails_the_answer_is_503_with_no_dossier_data(
    client, login, fake_ssm, failure, method, path
):
    await submit(client, login(BART), note="private remark")
    grant_an_for_bart(fake_ssm)
    fake_ssm.failure = failure
    body = {"kind": "parking_card"} if method == "POST" else None

    response = await client.request(
        method, f"/v1/dossiers/{BART}{path}", json=body, headers=login(AN)
    )

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("mandates-unavailable")
    assert set(response.json()) == {"type", "title", "status", "detail", "instance"}
    for secret in ("Claes", "private remark", "parking_card"):
        assert secret not in response.text


async def test_ssm_failure_does_not_concern_owner_or_professional(
    client, login, fake_ssm
):
    fake_ssm.failure = "down"

    own = await client.get(f"/v1/dossiers/{BART}", headers=login(BART))
    professional = await client.get(f"/v1/dossiers/{BART}", headers=login(SOFIE))

    assert (own.status_code, professional.status_code) == (200, 200)


async def test_a_mandatary_submits_and_the_application_records_it(
    client, login, fake_ssm
):
    grant_an_for_bart(fake_ssm)

    response = await submit(
        client, login(AN), kind="integration_allowance", note="for Bart"
    )

    assert response.status_code == 201
    application = response.json()
    assert response.headers["Location"] == (
        f"/v1/dossiers/{BART}/applications/{application['id']}"
    )
    assert application["owner_national_number"] == BART
    assert application["submitted_by"] == {
        "national_number": AN,
        "first_name": "An",
        "last_name": "Ansoms",
        "organisation": None,
    }
    assert (application["basis"], application["mandate_id"]) == ("mandate", "m-bart")
    assert (application["kind"], application["status"]) == (
        "integration_allowance",
        "submitted",
    )
    assert application["note"] == "for Bart"
    assert application["submitted_at"].endswith(("Z", "+00:00"))


async def test_a_submitted_application_is_listed_and_found_at_its_location(
    client, login, fake_ssm
):
    grant_an_for_bart(fake_ssm)
    created = await submit(client, login(AN))

    listed = await client.get(f"/v1/dossiers/{BART}/applications", headers=login(BART))
    located = await client.get(created.headers["Location"], headers=login(BART))
    opened = await client.get(f"/v1/dossiers/{BART}", headers=login(SOFIE))

    assert [a["id"] for a in listed.json()["items"]] == [created.json()["id"]]
    assert located.json() == created.json()
    assert opened.json()["person"]["last_name"] == "Claes"
    assert opened.json()["applications"] == [created.json()]


async def test_an_application_is_not_found_under_another_dossier(client, login):
    created = await submit(client, login(BART))

    response = await client.get(
        f"/v1/dossiers/{SOFIE}/applications/{created.json()['id']}",
        headers=login(SOFIE),
    )

    assert response.status_code == 404
    assert response.json()["type"].endswith("application-not-found")


async def test_a_professional_submission_records_the_organisation(client, login):
    response = await submit(client, login(SOFIE))

    assert response.json()["basis"] == "professional"
    assert response.json()["submitted_by"]["organisation"] == "OCMW Gent"


async def test_refusals_and_acts_are_in_the_owners_access_log(client, login, fake_ssm):
    grant_an_for_bart(fake_ssm)
    await client.get(f"/v1/dossiers/{BART}", headers=login(JAN))
    await submit(client, login(AN))
    fake_ssm.failure = "down"
    await client.get(f"/v1/dossiers/{BART}/applications", headers=login(AN))

    response = await client.get(f"/v1/dossiers/{BART}/access-log", headers=login(BART))

    assert response.status_code == 200
    rows = [
        (
            e["actor"]["national_number"],
            e["action"],
            e["outcome"],
            e["basis"],
            e["reason"],
        )
        for e in response.json()["items"]
    ]
    assert rows == [
        (BART, "read_access_log", "allowed", "own", None),
        (AN, "list_applications", "denied", None, "authority_unavailable"),
        (AN, "submit_application", "allowed", "mandate", None),
        (JAN, "open_dossier", "denied", None, "no_mandate"),
    ]
    mandated = response.json()["items"][2]
    assert mandated["mandate_id"] == "m-bart"
    assert mandated["occurred_at"].endswith(("Z", "+00:00"))


async def test_a_professional_reads_the_access_log(client, login):
    response = await client.get(f"/v1/dossiers/{BART}/access-log", headers=login(SOFIE))

    assert response.status_code == 200
    assert response.json()["items"][0]["basis"] == "professional"
