"""MyHandicap's SSM client against the real SSM app, both in this process.

SSM runs on a SQLite database of its own, with the identity stub as its register
and token endpoint; the client reaches it through httpx's ASGI transport. What the
client reads is exactly what SSM writes, so a change on either side that breaks
the other fails here.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from identity_stub.register import find
from identity_stub.testing import TokenMinter, stub_app_for
from myhandicap_api.adapters.ssm_client import SsmClient, UnexpectedStatusError
from myhandicap_api.domain.access import MandateAnswer
from myhandicap_api.domain.errors import AuthorityUnavailableError
from service_kit.jwks import StaticKeys
from ssm_api.api.app import create_app
from ssm_api.config import Settings
from ssm_api.migrate import upgrade

pytestmark = pytest.mark.anyio

IDP = "http://idp.test"
SSM = "http://ssm.test"
JANE = "01010112301"  # the mandatary: she acts for Jan
JAN = "12121212376"  # the mandator
JAN_ADDRESS = {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"}
BART = "52090713336"  # someone Jane has no mandate from


class FrozenClock:
    """SSM's clock, standing still: noon in Brussels on an ordinary Thursday."""

    def __init__(self) -> None:
        self.current = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


class StaticTokens:
    """A token source that always hands out the same token, and counts refusals."""

    def __init__(self, token: str) -> None:
        self._token = token
        self.forgotten = 0

    async def token(self) -> str:
        return self._token

    def forget(self) -> None:
        self.forgotten += 1


@dataclass
class Ssm:
    """The running SSM: its app, a citizen's client of it, and the token minter."""

    app: Any
    http: httpx.AsyncClient
    minter: TokenMinter
    answered: list[httpx.Response] = field(default_factory=list)

    def person(self, nrn: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.minter.person_token(nrn)}"}

    async def signed_mandate(self) -> str:
        """Let Jane ask Jan for a MYHANDICAP mandate, let Jan sign it; return its id."""
        created = await self.http.post(
            "/v1/mandates",
            json={
                "type": "MYHANDICAP",
                "role": "mandatary",
                "counterparty": {"national_number": JAN, **JAN_ADDRESS},
                "reference": "papa",
                "language": "nl",
                "accept_conditions": True,
            },
            headers=self.person(JANE),
        )
        assert created.status_code == 201, created.text
        mandate_id: str = created.json()["id"]
        signed = await self.http.post(
            f"/v1/mandates/{mandate_id}/sign",
            json={"accept_conditions": True},
            headers=self.person(JAN),
        )
        assert signed.status_code == 200, signed.text
        return mandate_id

    async def stop(self, mandate_id: str) -> None:
        stopped = await self.http.post(
            f"/v1/mandates/{mandate_id}/stop",
            json={"accept_conditions": True, "reason": "verhuisd"},
            headers=self.person(JAN),
        )
        assert stopped.status_code == 200, stopped.text

    def client(self, token: str) -> tuple[SsmClient, StaticTokens]:
        """Build MyHandicap's client of this SSM, presenting the given token."""
        tokens = StaticTokens(token)

        async def keep(response: httpx.Response) -> None:
            self.answered.append(response)

        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(self.app), event_hooks={"response": [keep]}
        )
        return SsmClient(
            http, base_url=SSM, tokens=tokens, deadline_seconds=5.0
        ), tokens


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def ssm_database(tmp_path: Path) -> str:
    """Return a migrated SQLite database; the migrations run their own event loop."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'ssm.db'}"
    upgrade(url)
    return url


@pytest.fixture
async def ssm(ssm_database: str) -> AsyncIterator[Ssm]:
    minter = TokenMinter(issuer=IDP)
    settings = Settings.model_validate(
        {
            "environment": "test",
            "database_url": ssm_database,
            "oidc_issuer": IDP,
            "register_url": f"{IDP}/register",
            "token_url": f"{IDP}/token",
            "mail_dispatcher_enabled": False,
        }
    )
    app = create_app(
        settings,
        keys=StaticKeys(minter.jwks),
        clock=FrozenClock(),
        transport=httpx.ASGITransport(stub_app_for(minter)),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=SSM) as http,
    ):
        yield Ssm(app, http, minter)


def service_token(minter: TokenMinter) -> str:
    return minter.service_token("myhandicap-api", ["ssm:authorize"])


async def test_an_active_mandate_allows_and_names_itself(ssm: Ssm) -> None:
    mandate_id = await ssm.signed_mandate()
    client, _ = ssm.client(service_token(ssm.minter))

    answer = await client.evaluate(JANE, JAN, request_id="req-contract-1")

    assert answer == MandateAnswer(allowed=True, mandate_id=mandate_id, reason=None)
    [response] = ssm.answered
    assert response.headers["x-request-id"] == "req-contract-1"
    assert response.headers["cache-control"] == "no-store"


async def test_without_a_mandate_the_answer_is_a_denial_with_its_reason(
    ssm: Ssm,
) -> None:
    await ssm.signed_mandate()
    client, _ = ssm.client(service_token(ssm.minter))

    answer = await client.evaluate(JANE, BART)

    assert answer == MandateAnswer(allowed=False, reason="no_mandate")


async def test_after_a_stop_the_mandate_no_longer_allows(ssm: Ssm) -> None:
    mandate_id = await ssm.signed_mandate()
    client, _ = ssm.client(service_token(ssm.minter))
    before = await client.evaluate(JANE, JAN)

    await ssm.stop(mandate_id)
    after = await client.evaluate(JANE, JAN)

    assert before.allowed
    assert after == MandateAnswer(allowed=False, mandate_id=None, reason="stopped")


async def test_the_search_lists_the_mandator_with_his_names(ssm: Ssm) -> None:
    mandate_id = await ssm.signed_mandate()
    client, _ = ssm.client(service_token(ssm.minter))

    persons = await client.represented_persons(JANE)

    jan = find(JAN)
    assert jan is not None
    [person] = persons
    assert person.national_number == JAN
    assert person.mandate_id == mandate_id
    assert (person.first_name, person.last_name) == (jan.first_name, jan.last_name)
    assert person.active_since == FrozenClock().current.date()
    assert person.end_date is None
    assert await client.represented_persons(JAN) == []


async def test_a_person_token_is_refused_and_the_client_reports_ssm_unavailable(
    ssm: Ssm,
) -> None:
    await ssm.signed_mandate()
    client, tokens = ssm.client(ssm.minter.person_token(JANE))

    with pytest.raises(AuthorityUnavailableError) as raised:
        await client.evaluate(JANE, JAN)
    with pytest.raises(AuthorityUnavailableError):
        await client.represented_persons(JANE)

    assert isinstance(raised.value.__cause__, UnexpectedStatusError)
    assert raised.value.__cause__.status == 403
    assert tokens.forgotten == 0  # a 403 is no expired token: nothing to refresh
