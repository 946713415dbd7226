import re
import sqlite3
from pathlib import Path

import anyio
import httpx
import pytest

from identity_stub.testing import TokenMinter
from ssm_api.migrate import earlier_revisions, upgrade

from ..conftest import StartSsm
from ..support import JAN, JANE, bearer, create_mandate, search_body

pytestmark = pytest.mark.anyio


async def test_healthz_answers_without_a_token(ssm: httpx.AsyncClient) -> None:
    response = await ssm.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_ready_on_a_migrated_database(ssm: httpx.AsyncClient) -> None:
    response = await ssm.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_is_unavailable_on_an_unmigrated_database(
    start_ssm: StartSsm, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"

    async with start_ssm(f"sqlite+aiosqlite:///{empty}") as client:
        response = await client.get("/readyz")
        health = await client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["reason"] == "database not migrated"
    assert health.status_code == 200


async def test_readyz_is_unavailable_while_the_database_is_behind(
    start_ssm: StartSsm, tmp_path: Path
) -> None:
    path = tmp_path / "behind.db"
    await anyio.to_thread.run_sync(
        upgrade, f"sqlite+aiosqlite:///{path}", min(earlier_revisions())
    )

    async with start_ssm(f"sqlite+aiosqlite:///{path}") as client:
        response = await client.get("/readyz")

    assert response.status_code == 503
    assert "behind" in response.json()["reason"]


async def test_readyz_stays_ready_when_a_newer_release_migrated_first(
    start_ssm: StartSsm, tmp_path: Path
) -> None:
    path = tmp_path / "ahead.db"
    await anyio.to_thread.run_sync(upgrade, f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '2099_01_01_0000'")

    async with start_ssm(f"sqlite+aiosqlite:///{path}") as client:
        response = await client.get("/readyz")

    assert response.status_code == 200


async def test_metrics_count_requests_by_route_template_without_personal_data(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)
    headers = bearer(minter, JANE)
    await ssm.get(f"/v1/mandates/{created['id']}", headers=headers)
    await ssm.get(f"/v1/mandates/{JAN}", headers=headers)
    await ssm.get(f"/v1/persons/{JAN}", headers=headers)
    await ssm.post("/v1/persons/search", json=search_body(JAN), headers=headers)

    response = await ssm.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    labels = re.findall(r"^http_requests_total\{(.*)\} ", response.text, re.MULTILINE)
    routes = set(re.findall(r'route="([^"]*)"', ",".join(labels)))
    assert {
        "/v1/mandates",
        "/v1/mandates/{mandate_id}",
        "/v1/persons/search",
        "unmatched",
    } <= routes
    assert 'method="GET",route="/v1/mandates/{mandate_id}",status="200"' in labels
    assert 'method="GET",route="/v1/mandates/{mandate_id}",status="404"' in labels
    every_label = re.findall(r"\{(.*)\}", response.text)
    assert not [label for label in every_label if re.search(r"\d{11}", label)]
    assert JAN not in response.text
    assert created["id"] not in response.text


async def test_every_answer_carries_a_request_id(ssm: httpx.AsyncClient) -> None:
    given = await ssm.get("/healthz", headers={"X-Request-ID": "abc-123"})
    made_up = await ssm.get("/healthz", headers={"X-Request-ID": "<script>"})

    assert given.headers["x-request-id"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", made_up.headers["x-request-id"])
