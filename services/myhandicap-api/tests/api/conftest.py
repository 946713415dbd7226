"""Fixtures of the API tests: tokens, a migrated SQLite file, a fake SSM, the app."""

import json
import shutil

import httpx
import pytest

from identity_stub.keys import SigningKey
from identity_stub.testing import TokenMinter
from myhandicap_api.api.app import create_app
from myhandicap_api.config import Settings
from myhandicap_api.migrations import upgrade
from service_kit.jwks import StaticKeys

SSM_URL = "http://ssm.test"
TOKEN_URL = "http://idp.test/token"


class FakeSsm:
    """SSM's AuthZEN endpoints and the token endpoint, in memory."""

    def __init__(self):
        self.mandates = {}
        self.failure = None
        self.requests = []
        self.page_size = 2

    def grant(self, mandatary, mandator, first, last, mandate_id):
        self.mandates[(mandatary, mandator)] = {
            "mandate_id": mandate_id,
            "first_name": first,
            "last_name": last,
            "active_since": "2026-11-01",
            "end_date": None,
        }

    def stop(self, mandatary, mandator):
        del self.mandates[(mandatary, mandator)]

    async def handle(self, request):
        if request.url.path == "/token":
            body = {"access_token": "svc", "token_type": "Bearer", "expires_in": 900}
            return httpx.Response(200, json=body)
        self.requests.append(request)
        if self.failure == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.failure == "error":
            return httpx.Response(500, text="Internal Server Error")
        if self.failure == "garbage":
            return httpx.Response(200, text="<html>maintenance</html>")
        question = json.loads(request.content)
        if request.url.path == "/access/v1/evaluation":
            return self._evaluate(question)
        return self._search(question)

    def _evaluate(self, question):
        key = (question["subject"]["id"], question["resource"]["id"])
        mandate = self.mandates.get(key)
        if mandate is None:
            return httpx.Response(
                200, json={"decision": False, "context": {"reason": "no_mandate"}}
            )
        context = {"mandate_id": mandate["mandate_id"], "end_date": None}
        return httpx.Response(200, json={"decision": True, "context": context})

    def _search(self, question):
        subject = question["subject"]["id"]
        found = [
            {"type": "person", "id": mandator, "properties": properties}
            for (mandatary, mandator), properties in self.mandates.items()
            if mandatary == subject
        ]
        start = int(question.get("page", {}).get("token") or 0)
        end = start + self.page_size
        page = {"next_token": str(end) if end < len(found) else ""}
        return httpx.Response(200, json={"results": found[start:end], "page": page})


@pytest.fixture(scope="session")
def minter():
    return TokenMinter(key=SigningKey.generate())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("myhandicap") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def database_url(sqlite_template, tmp_path):
    path = tmp_path / "myhandicap.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def fake_ssm():
    return FakeSsm()


@pytest.fixture
def settings(minter, database_url):
    return Settings(
        environment="test",
        database_url=database_url,
        oidc_issuer=minter.issuer,
        ssm_url=SSM_URL,
        token_url=TOKEN_URL,
        ssm_deadline_seconds=0.5,
        ssm_portal_url="http://ssm.test/v1/mandates/overview",
    )


@pytest.fixture
def make_app(settings, minter, fake_ssm):
    def build(**overrides):
        return create_app(
            settings.model_copy(update=overrides),
            keys=StaticKeys(minter.jwks),
            ssm_transport=httpx.MockTransport(fake_ssm.handle),
        )

    return build


@pytest.fixture
async def client(make_app):
    app = make_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mh.test"
        ) as c:
            yield c


@pytest.fixture
def login(minter):
    def headers(nrn, method="itsme", **claims):
        token = minter.person_token(nrn, method=method, **claims)
        return {"Authorization": f"Bearer {token}"}

    return headers
