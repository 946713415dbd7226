"""The identity provider's signing keys, fetched over HTTP and kept in memory."""

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx
import jwt
import structlog

log = structlog.get_logger(__name__)


class UnknownKeyError(Exception):
    """No key with this identifier is published by the identity provider."""


class KeySource(Protocol):
    """Where a token verifier finds the public key of a key identifier."""

    async def key_for(self, kid: str) -> jwt.PyJWK:
        """Return the key published under kid, or raise UnknownKeyError."""
        ...


class StaticKeys:
    """A fixed key set, for tests and for providers that publish no JWKS URL."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys}

    async def key_for(self, kid: str) -> jwt.PyJWK:
        """Return the key published under kid, or raise UnknownKeyError."""
        try:
            return self._keys[kid]
        except KeyError:
            raise UnknownKeyError(kid) from None


class JwksCache:
    """Keys from a JWKS URL, refreshed when old or when a new key id shows up.

    A token with an unknown key id triggers at most one fetch per cooldown, so a
    flood of forged tokens cannot turn into a flood of requests to the provider.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        issuer: str,
        jwks_url: str | None = None,
        max_age: float = 3600.0,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._issuer = issuer.rstrip("/")
        self._jwks_url = jwks_url
        self._max_age = max_age
        self._cooldown = cooldown
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> jwt.PyJWK:
        """Return the key published under kid, fetching the set when needed."""
        if self._is_stale() or kid not in self._keys:
            async with self._lock:
                if self._is_stale() or (kid not in self._keys and self._may_refresh()):
                    await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise UnknownKeyError(kid) from None

    def _is_stale(self) -> bool:
        return (
            self._fetched_at is None or self._clock() - self._fetched_at > self._max_age
        )

    def _may_refresh(self) -> bool:
        return (
            self._fetched_at is None
            or self._clock() - self._fetched_at > self._cooldown
        )

    async def _refresh(self) -> None:
        url = self._jwks_url or await self._discover_jwks_url()
        response = await self._client.get(url)
        response.raise_for_status()
        key_set = jwt.PyJWKSet.from_dict(response.json())
        self._keys = {k.key_id: k for k in key_set.keys if k.key_id}
        self._fetched_at = self._clock()
        log.info("jwks.refreshed", keys=len(self._keys))

    async def _discover_jwks_url(self) -> str:
        response = await self._client.get(
            f"{self._issuer}/.well-known/openid-configuration"
        )
        response.raise_for_status()
        self._jwks_url = str(response.json()["jwks_uri"])
        return self._jwks_url
