"""One request id across services: MyHandicap passes its caller's on to SSM.

Someone following a request through the logs finds SSM's events for it under the
same id as MyHandicap's.
"""

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import httpx
import pytest

from identity_stub.testing import TokenMinter
from myhandicap_api.api.app import create_app
from myhandicap_api.config import Settings
from myhandicap_api.migrations import upgrade
from service_kit.jwks import StaticKeys

pytestmark = pytest.mark.anyio

AN = "78042304657"  # An Ansoms, who helps others
BART = "52090713336"  # Bart Claes, whom An helps
SSM_URL = "http://ssm.test"
TOKEN_URL = "http://idp.test/token"


class RecordingSsm:
    """SSM's AuthZEN endpoints and the token endpoint, noting each request id."""

    def __init__(self) -> None:
        self.request_ids: list[str | None] = []

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            body = {"access_token": "svc", "token_type": "Bearer", "expires_in": 900}
            return httpx.Response(200, json=body)
        self.request_ids.append(request.headers.get("X-Request-ID"))
        if request.url.path == "/access/v1/evaluation":
            return httpx.Response(
                200, json={"decision": False, "context": {"reason": "no_mandate"}}
            )
        question = json.loads(request.content)
        assert question["subject"]["id"] == AN
        return httpx.Response(200, json={"results": [], "page": {"next_token": ""}})


@pytest.fixture(scope="module")
def minter() -> TokenMinter:
    return TokenMinter()


@pytest.fixture
def ssm() -> RecordingSsm:
    return RecordingSsm()


@pytest.fixture
async def myhandicap(
    minter: TokenMinter, ssm: RecordingSsm, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'myhandicap.db'}"
    # Alembic runs an event loop of its own, so it runs outside the test's.
    await anyio.to_thread.run_sync(upgrade, url)
    settings = Settings(
        environment="test",
        database_url=url,
        oidc_issuer=minter.issuer,
        ssm_url=SSM_URL,
        token_url=TOKEN_URL,
    )
    app = create_app(
        settings,
        keys=StaticKeys(minter.jwks),
        ssm_transport=httpx.MockTransport(ssm.handle),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mh.test"
        ) as client,
    ):
        yield client


PATHS = [
    pytest.param(f"/v1/dossiers/{BART}", id="dossier-evaluation"),
    pytest.param("/v1/represented-persons", id="represented-search"),
]


@pytest.mark.parametrize("path", PATHS)
async def test_the_callers_request_id_reaches_ssm(
    myhandicap: httpx.AsyncClient, minter: TokenMinter, ssm: RecordingSsm, path: str
) -> None:
    given = "portal-4c1e.7"
    token = minter.person_token(AN)

    response = await myhandicap.get(
        path, headers={"Authorization": f"Bearer {token}", "X-Request-ID": given}
    )

    assert response.status_code in {200, 403}, response.text
    assert response.headers["x-request-id"] == given
    assert ssm.request_ids
    assert set(ssm.request_ids) == {given}


@pytest.mark.parametrize("path", PATHS)
async def test_a_request_id_made_by_myhandicap_reaches_ssm(
    myhandicap: httpx.AsyncClient, minter: TokenMinter, ssm: RecordingSsm, path: str
) -> None:
    token = minter.person_token(AN)

    response = await myhandicap.get(path, headers={"Authorization": f"Bearer {token}"})

    made = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert ssm.request_ids
    assert set(ssm.request_ids) == {made}
