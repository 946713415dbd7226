import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..support import JANE, assert_problem, bearer

pytestmark = pytest.mark.anyio


async def test_the_catalogue_lists_myhandicap_in_four_languages(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await ssm.get("/v1/mandate-types", headers=bearer(minter, JANE))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    [myhandicap] = response.json()
    assert myhandicap["code"] == "MYHANDICAP"
    assert set(myhandicap["names"]) == {"nl", "fr", "de", "en"}
    assert myhandicap["names"]["nl"].startswith("MyHandicap")
    assert myhandicap["mandator_kinds"] == ["natural_person"]
    assert myhandicap["mandatary_kinds"] == ["natural_person"]
    assert myhandicap["transferable"] is False


async def test_the_catalogue_needs_a_token(ssm: httpx.AsyncClient) -> None:
    response = await ssm.get("/v1/mandate-types")

    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
