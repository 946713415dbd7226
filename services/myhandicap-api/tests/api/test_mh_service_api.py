"""Probes, the OpenAPI document, and what the logs may not hold."""

import importlib

import anyio
import httpx
import pytest

from myhandicap_api.migrations import downgrade

pytestmark = pytest.mark.anyio

BART = "52090713336"
AN = "78042304657"


async def test_healthz_and_readyz_on_a_migrated_database(client):
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")

    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_readyz_refuses_a_database_behind_the_migrations(make_app, database_url):
    # Alembic runs its own event loop, so it runs outside the test's.
    await anyio.to_thread.run_sync(downgrade, database_url)
    app = make_app()

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mh.test"
        ) as c:
            response = await c.get("/readyz")

    assert response.status_code == 503
    assert response.json()["reason"] == "database not migrated"


async def test_every_operation_is_documented_with_its_problems(client):
    document = (await client.get("/openapi.json")).json()

    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]

    assert len(operations) == 7
    for path, method, operation in operations:
        assert operation.get("summary"), (path, method)
        assert len(operation.get("description", "")) > 40, (path, method)
        # Any token check may answer 503 when the provider's keys cannot be read.
        assert {"401", "403", "503"} <= set(operation["responses"]), (path, method)
        problem = operation["responses"]["403"]["content"]
        assert "application/problem+json" in problem, (path, method)
    dossier = document["paths"]["/v1/dossiers/{nrn}"]["get"]["responses"]
    assert {"200", "401", "403", "422", "503"} <= set(dossier)
    submit = document["paths"]["/v1/dossiers/{nrn}/applications"]["post"]["responses"]
    assert {"201", "413", "422"} <= set(submit)
    assert "Location" in submit["201"]["headers"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_importing_the_app_module_makes_no_app():
    module = importlib.import_module("myhandicap_api.api.app")

    assert not hasattr(module, "app")


async def test_logs_hold_no_national_numbers_names_or_tokens(
    make_app, login, fake_ssm, capsys
):
    fake_ssm.grant(AN, BART, "Bart", "Claes", "m-bart")
    app = make_app(log_format="json")
    headers = login(AN)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mh.test"
        ) as c:
            await c.post(
                f"/v1/dossiers/{BART}/applications",
                json={"kind": "parking_card", "note": "private remark"},
                headers=headers,
            )
            await c.get(f"/v1/dossiers/{BART}", headers=headers)
            await c.get("/v1/dossiers/12121212376", headers=headers)
            await c.get(f"/v1/dossiers/{BART}/access-log", headers=headers)

    logged = "\n".join(
        line
        for line in capsys.readouterr().err.splitlines()
        # The test's own client logs the URLs it calls; the service's lines are kept.
        if '"logger": "httpx"' not in line
    )
    for event in ("application.submitted", "dossier.opened", "access.denied"):
        assert f'"event": "{event}"' in logged
    for secret in (BART, AN, "12121212376", "Claes", "Ansoms", "private remark"):
        assert secret not in logged
    assert headers["Authorization"].split()[1] not in logged
    assert app.state.hasher(BART) in logged
