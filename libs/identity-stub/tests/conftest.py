from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest

from identity_stub.keys import SigningKey
from identity_stub.testing import TokenMinter, stub_app_for


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    # One key for the whole run: generating RSA keys is the slow part.
    return SigningKey.generate()


@pytest.fixture
def minter(signing_key: SigningKey) -> TokenMinter:
    return TokenMinter(key=signing_key)


@pytest.fixture
async def client(minter: TokenMinter) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=stub_app_for(minter))
    async with httpx.AsyncClient(transport=transport, base_url=minter.issuer) as client:
        yield client


Verifier = Callable[[str, dict[str, Any], str], dict[str, Any]]


@pytest.fixture
def verify(minter: TokenMinter) -> Verifier:
    """Verify a token the way a service does: key by kid, RS256, iss and aud."""

    def check(token: str, jwks: dict[str, Any], audience: str) -> dict[str, Any]:
        header = jwt.get_unverified_header(token)
        key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]]
        return jwt.decode(
            token, key, algorithms=["RS256"], audience=audience, issuer=minter.issuer
        )

    return check
