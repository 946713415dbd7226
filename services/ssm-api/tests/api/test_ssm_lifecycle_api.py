import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..support import JAN, JANE, bearer, create_mandate, sign

pytestmark = pytest.mark.anyio


async def test_the_manuals_scenario(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    created = await create_mandate(ssm, minter)

    to_sign = await ssm.get("/v1/mandates?view=to_sign", headers=bearer(minter, JAN))
    signed = await sign(ssm, minter, created["id"])
    stopped = await ssm.post(
        f"/v1/mandates/{created['id']}/stop",
        json={"accept_conditions": True, "reason": "verhuisd"},
        headers=bearer(minter, JANE),
    )
    seen_by_jan = await ssm.get(
        f"/v1/mandates/{created['id']}", headers=bearer(minter, JAN)
    )

    assert created["status"] == "pending"
    assert created["mandatary"]["national_number"] == JANE
    assert created["mandator"]["last_name"] == "Peters"
    assert [m["id"] for m in to_sign.json()["items"]] == [created["id"]]
    assert signed.json()["status"] == "active"
    assert signed.json()["active_since"] == "2026-12-03"
    assert stopped.json()["status"] == "stopped"
    assert seen_by_jan.json()["end_date"] == "2026-12-03"
    assert seen_by_jan.json()["stop"]["reason"] == "verhuisd"
