import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from identity_stub.keys import SigningKey
from identity_stub.testing import TokenMinter, stub_app_for
from service_kit.jwks import JwksCache, UnknownKeyError

from ..conftest import IDP, StartSsm
from ..support import JANE, assert_problem, bearer

pytestmark = pytest.mark.anyio

JWKS_URL = f"{IDP}/keys"
DISCOVERY = "/.well-known/openid-configuration"
MAX_AGE = 3600.0
COOLDOWN = 30.0


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


class IdentityProvider:
    """Publish a key set and count who asked for what."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = list(keys)
        self.paths: list[str] = []
        self.failing = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.failing:
            return httpx.Response(503)
        if request.url.path == DISCOVERY:
            return httpx.Response(200, json={"issuer": IDP, "jwks_uri": JWKS_URL})
        if request.url.path == "/keys":
            return httpx.Response(
                200, json={"keys": [k.public_jwk() for k in self.keys]}
            )
        return httpx.Response(404)


@pytest.fixture(scope="module")
def old_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="module")
def new_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture
def ticks() -> FakeClock:
    return FakeClock()


@pytest.fixture
def provider(old_key: SigningKey) -> IdentityProvider:
    return IdentityProvider(old_key)


@pytest.fixture
async def http(provider: IdentityProvider) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(provider)) as client:
        yield client


def cache_for(
    http: httpx.AsyncClient, ticks: FakeClock, jwks_url: str | None = JWKS_URL
) -> JwksCache:
    return JwksCache(
        http,
        issuer=IDP,
        jwks_url=jwks_url,
        max_age=MAX_AGE,
        cooldown=COOLDOWN,
        clock=ticks,
    )


async def test_the_keys_are_fetched_once_and_kept(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
) -> None:
    cache = cache_for(http, ticks)

    found = [await cache.key_for(old_key.kid) for _ in range(3)]

    assert {key.key_id for key in found} == {old_key.kid}
    assert provider.paths == ["/keys"]


async def test_the_keys_are_fetched_again_when_old(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
) -> None:
    cache = cache_for(http, ticks)
    await cache.key_for(old_key.kid)
    ticks.seconds += MAX_AGE - 1
    await cache.key_for(old_key.kid)
    ticks.seconds += 2

    await cache.key_for(old_key.kid)

    assert provider.paths == ["/keys", "/keys"]


async def test_an_unknown_key_id_fetches_the_rotated_keys(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
    new_key: SigningKey,
) -> None:
    cache = cache_for(http, ticks)
    await cache.key_for(old_key.kid)
    provider.keys = [new_key]
    ticks.seconds += COOLDOWN + 1

    found = await cache.key_for(new_key.kid)

    assert found.key_id == new_key.kid
    assert provider.paths == ["/keys", "/keys"]
    with pytest.raises(UnknownKeyError):
        await cache.key_for(old_key.kid)


async def test_unknown_key_ids_fetch_at_most_once_per_cooldown(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
) -> None:
    cache = cache_for(http, ticks)
    await cache.key_for(old_key.kid)
    ticks.seconds += COOLDOWN - 1
    within_cooldown = await unknown_lookups(cache, "forged-1", times=5)
    ticks.seconds += 2

    after_cooldown = await unknown_lookups(cache, "forged-2", times=5)

    assert within_cooldown == after_cooldown == 5
    assert provider.paths == ["/keys", "/keys"]


async def test_a_flood_of_unknown_key_ids_at_once_fetches_once(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
) -> None:
    cache = cache_for(http, ticks)
    await cache.key_for(old_key.kid)
    ticks.seconds += COOLDOWN + 1

    results = await asyncio.gather(
        *(cache.key_for(f"forged-{n}") for n in range(20)), return_exceptions=True
    )

    assert all(isinstance(r, UnknownKeyError) for r in results)
    assert provider.paths == ["/keys", "/keys"]


async def test_without_a_jwks_url_the_discovery_document_names_it(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
) -> None:
    cache = cache_for(http, ticks, jwks_url=None)
    await cache.key_for(old_key.kid)
    ticks.seconds += MAX_AGE + 1

    await cache.key_for(old_key.kid)

    assert provider.paths == [DISCOVERY, "/keys", "/keys"]


async def test_a_provider_that_fails_raises_an_http_error(
    http: httpx.AsyncClient,
    provider: IdentityProvider,
    ticks: FakeClock,
    old_key: SigningKey,
) -> None:
    provider.failing = True
    cache = cache_for(http, ticks)

    with pytest.raises(httpx.HTTPStatusError):
        await cache.key_for(old_key.kid)


async def unknown_lookups(cache: JwksCache, kid: str, times: int) -> int:
    refused = 0
    for _ in range(times):
        try:
            await cache.key_for(kid)
        except UnknownKeyError:
            refused += 1
    return refused


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return await self.inner.handle_async_request(request)


async def test_ssm_reads_the_keys_of_the_identity_provider_once(
    sqlite_url: str, start_ssm: StartSsm, minter: TokenMinter
) -> None:
    transport = CountingTransport(httpx.ASGITransport(stub_app_for(minter)))

    async with start_ssm(sqlite_url, keys=None, transport=transport) as client:
        answers = [
            await client.get("/v1/mandates/overview", headers=bearer(minter, JANE))
            for _ in range(3)
        ]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert transport.paths == [DISCOVERY, "/jwks.json"]


async def test_without_the_identity_provider_tokens_cannot_be_checked(
    sqlite_url: str, start_ssm: StartSsm, minter: TokenMinter
) -> None:
    down = httpx.MockTransport(lambda request: httpx.Response(503))

    async with start_ssm(sqlite_url, keys=None, transport=down) as client:
        response = await client.get(
            "/v1/mandates/overview", headers=bearer(minter, JANE)
        )

    assert_problem(response, 503, "identity-provider-unavailable")
