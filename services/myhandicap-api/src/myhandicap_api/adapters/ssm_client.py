"""The mandate register (SSM), asked over HTTP with the AuthZEN Authorization API.

Whatever goes wrong (no token, no connection, a deadline passed, a status other than
2xx, a body that is not JSON or not shaped as AuthZEN says) ends in one error,
AuthorityUnavailableError: the caller then allows nothing.
"""

import asyncio
from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

import httpx
import structlog

from myhandicap_api.adapters.ssm_schemas import (
    EvaluationAnswer,
    Resource,
    SearchAnswer,
)
from myhandicap_api.domain.access import MandateAnswer
from myhandicap_api.domain.errors import AuthorityUnavailableError
from myhandicap_api.domain.people import RepresentedPerson
from service_kit.client_credentials import TokenUnavailableError

T = TypeVar("T")

MANDATE_TYPE = "MYHANDICAP"
SCOPE = "ssm:authorize"
EVALUATION_PATH = "/access/v1/evaluation"
SEARCH_PATH = "/access/v1/search/resource"
# A register that keeps handing out next pages is broken; stop well before a loop.
MAX_PAGES = 100

_CONNECT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)

log = structlog.get_logger(__name__)


class TokenSource(Protocol):
    """Where the client gets its service token, and drops it when it is refused."""

    async def token(self) -> str:
        """Return a valid access token."""
        ...

    def forget(self) -> None:
        """Drop the kept token."""
        ...


class UnexpectedStatusError(Exception):
    """SSM answered with a status other than 2xx."""

    def __init__(self, status: int) -> None:
        super().__init__(f"status {status}")
        self.status = status


class TooManyPagesError(Exception):
    """SSM kept announcing a next page beyond any sensible number."""


_FAILURES = (
    TimeoutError,
    httpx.HTTPError,
    TokenUnavailableError,
    ValueError,
    UnexpectedStatusError,
    TooManyPagesError,
)


class SsmClient:
    """Ask SSM about MYHANDICAP mandates, each call within one overall deadline."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        tokens: TokenSource,
        deadline_seconds: float,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._tokens = tokens
        self._deadline = deadline_seconds

    async def evaluate(
        self, subject_nrn: str, resource_nrn: str, *, request_id: str | None = None
    ) -> MandateAnswer:
        """Say whether the subject may act for the resource's person now."""
        body = _question(subject_nrn) | {
            "resource": {"type": "person", "id": resource_nrn}
        }
        answer = await self._guarded("evaluation", self._evaluate(body, request_id))
        return MandateAnswer(
            allowed=answer.decision,
            mandate_id=answer.context.mandate_id,
            reason=answer.context.reason,
        )

    async def represented_persons(
        self, subject_nrn: str, *, request_id: str | None = None
    ) -> list[RepresentedPerson]:
        """List everyone the subject may act for now, following every page."""
        return await self._guarded("search", self._search(subject_nrn, request_id))

    async def _guarded(self, operation: str, call: Awaitable[T]) -> T:
        try:
            # One deadline over the token, the request and its retry together.
            async with asyncio.timeout(self._deadline):
                return await call
        except _FAILURES as exc:
            cause = "deadline" if isinstance(exc, TimeoutError) else type(exc).__name__
            log.warning("ssm.unavailable", operation=operation, cause=cause)
            raise AuthorityUnavailableError(cause) from exc

    async def _evaluate(
        self, body: dict[str, Any], request_id: str | None
    ) -> EvaluationAnswer:
        raw = await self._post(EVALUATION_PATH, body, request_id)
        return EvaluationAnswer.model_validate(raw)

    async def _search(
        self, subject_nrn: str, request_id: str | None
    ) -> list[RepresentedPerson]:
        persons: list[RepresentedPerson] = []
        page_token: str | None = None
        for _ in range(MAX_PAGES):
            body = _question(subject_nrn) | {"resource": {"type": "person"}}
            if page_token:
                body["page"] = {"token": page_token}
            answer = SearchAnswer.model_validate(
                await self._post(SEARCH_PATH, body, request_id)
            )
            persons.extend(_represented(result) for result in answer.results)
            page_token = answer.page.next_token if answer.page else None
            if not page_token:
                return persons
        raise TooManyPagesError

    async def _post(
        self, path: str, body: dict[str, Any], request_id: str | None
    ) -> Any:
        try:
            return await self._post_once(path, body, request_id)
        except _CONNECT_ERRORS:
            # The request never reached SSM, so asking again is safe; once is enough.
            log.info("ssm.retry", path=path)
            return await self._post_once(path, body, request_id)

    async def _post_once(
        self, path: str, body: dict[str, Any], request_id: str | None
    ) -> Any:
        headers = {"Authorization": f"Bearer {await self._tokens.token()}"}
        if request_id:
            headers["X-Request-ID"] = request_id
        response = await self._http.post(
            self._base_url + path, json=body, headers=headers
        )
        if response.status_code == httpx.codes.UNAUTHORIZED:
            # Expired or revoked early: the next call fetches a fresh token.
            self._tokens.forget()
        if not response.is_success:
            raise UnexpectedStatusError(response.status_code)
        return response.json()


class SsmAccessAuthority:
    """The access authority for one request, passing the request's id on to SSM."""

    def __init__(self, client: SsmClient, request_id: str | None) -> None:
        self._client = client
        self._request_id = request_id

    async def evaluate(self, subject_nrn: str, resource_nrn: str) -> MandateAnswer:
        """Say whether the subject may act for the resource's person now."""
        return await self._client.evaluate(
            subject_nrn, resource_nrn, request_id=self._request_id
        )

    async def represented_persons(self, subject_nrn: str) -> list[RepresentedPerson]:
        """List everyone the subject may act for now."""
        return await self._client.represented_persons(
            subject_nrn, request_id=self._request_id
        )


def _question(subject_nrn: str) -> dict[str, Any]:
    return {
        "subject": {"type": "person", "id": subject_nrn},
        "action": {"name": MANDATE_TYPE},
    }


def _represented(result: Resource) -> RepresentedPerson:
    properties = result.properties
    return RepresentedPerson(
        mandate_id=properties.mandate_id,
        national_number=result.id,
        first_name=properties.first_name,
        last_name=properties.last_name,
        active_since=properties.active_since,
        end_date=properties.end_date,
    )
