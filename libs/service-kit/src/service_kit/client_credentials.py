"""Service tokens from the identity provider, reused until shortly before expiry."""

import asyncio
import time
from collections.abc import Callable

import httpx
import structlog

log = structlog.get_logger(__name__)


class TokenUnavailableError(Exception):
    """The identity provider gave no service token."""


class ServiceTokenProvider:
    """Fetch a token with the client credentials grant and keep it while it is fresh."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scope = scope
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        """Return a valid access token, asking for a new one when needed."""
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        async with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                await self._fetch()
        assert self._token is not None
        return self._token

    def forget(self) -> None:
        """Drop the kept token, after the resource server refused it."""
        self._token = None

    async def _fetch(self) -> None:
        try:
            response = await self._client.post(
                self._token_url,
                data={"grant_type": "client_credentials", "scope": self._scope},
                auth=(self._client_id, self._client_secret),
            )
            response.raise_for_status()
            body = response.json()
            token, lifetime = str(body["access_token"]), float(body["expires_in"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.error("service_token.failed", error_type=type(exc).__name__)
            raise TokenUnavailableError(str(type(exc).__name__)) from exc
        self._token = token
        self._renew_at = self._clock() + max(lifetime - self._refresh_margin, 0.0)
        log.info("service_token.issued", scope=self._scope)
