"""The SSM client against httpx.MockTransport: every answer, every failure."""

import asyncio
import json
import time

import httpx
import pytest

from myhandicap_api.adapters.ssm_client import SsmAccessAuthority, SsmClient
from myhandicap_api.domain.access import MandateAnswer
from myhandicap_api.domain.errors import AuthorityUnavailableError
from service_kit.client_credentials import ServiceTokenProvider

pytestmark = pytest.mark.anyio

SSM = "http://ssm.test"
AN, BART = "78042304657", "52090713336"
DEADLINE = 0.3


class CountingTokens:
    def __init__(self):
        self.issued = 0
        self.forgotten = 0

    async def token(self):
        self.issued += 1
        return f"token-{self.issued}"

    def forget(self):
        self.forgotten += 1


def make_client(handler, tokens=None, deadline=DEADLINE):
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = SsmClient(
        http, base_url=SSM, tokens=tokens or CountingTokens(), deadline_seconds=deadline
    )
    return http, client


def answer(body, status=200):
    def handler(request):
        return httpx.Response(status, json=body)

    return handler


async def evaluate(handler, tokens=None, deadline=DEADLINE):
    http, client = make_client(handler, tokens, deadline)
    async with http:
        return await client.evaluate(AN, BART, request_id="req-1")


async def test_an_allow_names_its_mandate_and_the_question_is_authzen():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(
            200,
            json={"decision": True, "context": {"mandate_id": "m-1", "end_date": None}},
        )

    decision = await evaluate(handler)

    assert decision == MandateAnswer(True, mandate_id="m-1")
    [request] = seen
    assert request.url == f"{SSM}/access/v1/evaluation"
    assert request.headers["Authorization"] == "Bearer token-1"
    assert request.headers["X-Request-ID"] == "req-1"
    assert json.loads(request.content) == {
        "subject": {"type": "person", "id": AN},
        "action": {"name": "MYHANDICAP"},
        "resource": {"type": "person", "id": BART},
    }


async def test_a_deny_keeps_its_reason():
    decision = await evaluate(
        answer({"decision": False, "context": {"reason": "stopped"}})
    )

    assert decision == MandateAnswer(False, reason="stopped")


async def test_a_deny_without_context_is_still_a_deny():
    assert await evaluate(answer({"decision": False})) == MandateAnswer(False)


async def test_a_slow_answer_fails_within_the_deadline():
    async def handler(request):
        await asyncio.sleep(5)
        return httpx.Response(200, json={"decision": True})

    started = time.monotonic()
    with pytest.raises(AuthorityUnavailableError) as caught:
        await evaluate(handler)

    assert time.monotonic() - started < DEADLINE + 0.2
    assert caught.value.cause == "deadline"


async def test_a_slow_token_counts_against_the_same_deadline():
    class SlowTokens(CountingTokens):
        async def token(self):
            await asyncio.sleep(5)
            return "late"

    started = time.monotonic()
    with pytest.raises(AuthorityUnavailableError):
        await evaluate(answer({"decision": True}), tokens=SlowTokens())

    assert time.monotonic() - started < DEADLINE + 0.2


async def test_a_refused_connection_is_retried_once_then_fails():
    attempts = []

    def handler(request):
        attempts.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(AuthorityUnavailableError) as caught:
        await evaluate(handler)

    assert len(attempts) == 2
    assert caught.value.cause == "ConnectError"


async def test_one_refused_connection_then_an_answer_succeeds():
    attempts = []

    def handler(request):
        attempts.append(request)
        if len(attempts) == 1:
            raise httpx.ConnectTimeout("no route", request=request)
        return httpx.Response(
            200, json={"decision": True, "context": {"mandate_id": "m-1"}}
        )

    assert (await evaluate(handler)).allowed
    assert len(attempts) == 2


async def test_a_read_timeout_is_not_retried():
    attempts = []

    def handler(request):
        attempts.append(request)
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(AuthorityUnavailableError):
        await evaluate(handler)

    assert len(attempts) == 1


@pytest.mark.parametrize("status", [500, 502, 403, 400, 404])
async def test_an_http_error_is_not_retried_and_fails(status):
    attempts = []

    def handler(request):
        attempts.append(request)
        return httpx.Response(status, json={"decision": True})

    with pytest.raises(AuthorityUnavailableError) as caught:
        await evaluate(handler)

    assert len(attempts) == 1
    assert caught.value.cause == "UnexpectedStatusError"


async def test_a_garbage_body_fails():
    def handler(request):
        return httpx.Response(200, content=b"<html>maintenance</html>")

    with pytest.raises(AuthorityUnavailableError):
        await evaluate(handler)


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "true", "context": {"mandate_id": "m-1"}},
        {"decision": 1, "context": {"mandate_id": "m-1"}},
        {"allowed": True},
        {"decision": True},
        {"decision": True, "context": {"mandate_id": ""}},
        [True],
        None,
    ],
)
async def test_a_body_not_shaped_as_an_authzen_answer_fails(body):
    with pytest.raises(AuthorityUnavailableError):
        await evaluate(answer(body))


async def test_a_401_forgets_the_token_and_the_next_call_gets_a_new_one():
    tokens = CountingTokens()
    statuses = iter([401, 200])
    seen = []

    def handler(request):
        seen.append(request.headers["Authorization"])
        body = {"decision": False, "context": {"reason": "no_mandate"}}
        return httpx.Response(next(statuses), json=body)

    http, client = make_client(handler, tokens)
    async with http:
        with pytest.raises(AuthorityUnavailableError):
            await client.evaluate(AN, BART)
        await client.evaluate(AN, BART)

    assert tokens.forgotten == 1
    assert seen == ["Bearer token-1", "Bearer token-2"]


async def test_the_service_token_is_fetched_once_and_reused():
    token_requests = []

    def handler(request):
        if request.url.path == "/token":
            token_requests.append(request)
            return httpx.Response(
                200,
                json={"access_token": "svc", "token_type": "Bearer", "expires_in": 900},
            )
        assert request.headers["Authorization"] == "Bearer svc"
        return httpx.Response(200, json={"decision": False})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    tokens = ServiceTokenProvider(
        http,
        token_url="http://idp.test/token",
        client_id="myhandicap-api",
        client_secret="secret",
        scope="ssm:authorize",
    )
    client = SsmClient(http, base_url=SSM, tokens=tokens, deadline_seconds=DEADLINE)
    async with http:
        await client.evaluate(AN, BART)
        await client.evaluate(AN, BART)

    assert len(token_requests) == 1
    assert b"scope=ssm%3Aauthorize" in token_requests[0].content


async def test_a_token_that_cannot_be_had_fails():
    def handler(request):
        if request.url.path == "/token":
            return httpx.Response(401, json={"error": "invalid_client"})
        raise AssertionError("SSM must not be asked without a token")

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    tokens = ServiceTokenProvider(
        http,
        token_url="http://idp.test/token",
        client_id="c",
        client_secret="s",
        scope="x",
    )
    client = SsmClient(http, base_url=SSM, tokens=tokens, deadline_seconds=DEADLINE)
    async with http:
        with pytest.raises(AuthorityUnavailableError) as caught:
            await client.evaluate(AN, BART)

    assert caught.value.cause == "TokenUnavailableError"


def person(nrn, first, last, mandate_id):
    return {
        "type": "person",
        "id": nrn,
        "properties": {
            "mandate_id": mandate_id,
            "first_name": first,
            "last_name": last,
            "active_since": "2026-01-02",
            "end_date": None,
        },
    }


async def test_the_search_follows_every_page():
    pages = {
        None: {
            "results": [person(BART, "Bart", "Claes", "m-1")],
            "page": {"next_token": "p2"},
        },
        "p2": {
            "results": [person("49113020895", "Chantal", "Dubois", "m-2")],
            "page": {"next_token": "p3"},
        },
        "p3": {
            "results": [person("00022906479", "Emma", "Goossens", "m-3")],
            "page": {"next_token": ""},
        },
    }
    bodies = []

    def handler(request):
        body = json.loads(request.content)
        bodies.append(body)
        return httpx.Response(200, json=pages[body.get("page", {}).get("token")])

    http, client = make_client(handler)
    async with http:
        persons = await client.represented_persons(AN, request_id="req-2")

    assert [p.mandate_id for p in persons] == ["m-1", "m-2", "m-3"]
    assert persons[0].national_number == BART
    assert persons[0].active_since.isoformat() == "2026-01-02"
    assert [b.get("page") for b in bodies] == [None, {"token": "p2"}, {"token": "p3"}]
    assert bodies[0]["resource"] == {"type": "person"}
    assert bodies[0]["action"] == {"name": "MYHANDICAP"}


async def test_a_search_without_page_is_one_page():
    http, client = make_client(answer({"results": []}))
    async with http:
        assert await client.represented_persons(AN) == []


async def test_a_search_that_never_ends_fails():
    def handler(request):
        return httpx.Response(
            200, json={"results": [], "page": {"next_token": "again"}}
        )

    http, client = make_client(handler, deadline=5.0)
    async with http:
        with pytest.raises(AuthorityUnavailableError) as caught:
            await client.represented_persons(AN)

    assert caught.value.cause == "TooManyPagesError"


@pytest.mark.parametrize(
    "result",
    [
        person("5209071333", "Bart", "Claes", "m-1"),
        {**person(BART, "Bart", "Claes", "m-1"), "type": "organisation"},
        {"type": "person", "id": BART},
    ],
)
async def test_a_search_result_of_the_wrong_shape_fails(result):
    http, client = make_client(answer({"results": [result]}))
    async with http:
        with pytest.raises(AuthorityUnavailableError):
            await client.represented_persons(AN)


async def test_a_failing_page_fails_the_whole_search():
    def handler(request):
        if "page" in json.loads(request.content):
            return httpx.Response(503)
        return httpx.Response(200, json={"results": [], "page": {"next_token": "p2"}})

    http, client = make_client(handler)
    async with http:
        with pytest.raises(AuthorityUnavailableError):
            await client.represented_persons(AN)


async def test_the_request_bound_authority_passes_its_request_id_on():
    seen = []

    def handler(request):
        seen.append(request.headers.get("X-Request-ID"))
        if request.url.path.endswith("evaluation"):
            return httpx.Response(200, json={"decision": False})
        return httpx.Response(200, json={"results": []})

    http, client = make_client(handler)
    async with http:
        await SsmAccessAuthority(client, "abc").evaluate(AN, BART)
        await SsmAccessAuthority(client, "abc").represented_persons(AN)
        await SsmAccessAuthority(client, None).evaluate(AN, BART)

    assert seen == ["abc", "abc", None]
