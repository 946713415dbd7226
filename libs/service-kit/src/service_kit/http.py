"""ASGI middleware of every service: request ids, access events, metrics, body cap."""

import re
import time
import uuid
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service_kit.problems import ProblemError, problem_response

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = structlog.get_logger(__name__)


class HttpMetrics:
    """Request counts and latencies by route template and status."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER.encode():
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Give each request an id, log it once with its route template, and count it.

    The raw path is never logged: several routes carry a national number in it.
    """

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one HTTP request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        route = _route_template(scope)
        labels: dict[str, Any] = {
            "method": scope["method"],
            "route": route,
            "status": str(status),
        }
        self.metrics.requests.labels(**labels).inc()
        self.metrics.latency.labels(**labels).observe(elapsed)
        if route not in {"/healthz", "/readyz", "/metrics"}:
            log.info(
                "http.request",
                method=scope["method"],
                route=route,
                status=status,
                duration_ms=round(elapsed * 1000, 1),
            )


# Both bases keep headers as a mapping; the problem handler reads them.
class BodyTooLargeError(ProblemError, HTTPException):  # type: ignore[misc]
    """The request body is larger than the service accepts.

    It is an HTTPException too because FastAPI turns any other error raised while
    it reads a body into 400; the problem handler still answers it first.
    """

    def __init__(self, limit: int) -> None:
        ProblemError.__init__(
            self,
            413,
            "payload-too-large",
            f"Request bodies are limited to {limit} bytes.",
        )
        self.status_code = 413


class BodyLimitMiddleware:
    """Refuse request bodies over a limit, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request, counting the bytes of its body as they arrive."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if (
                name == b"content-length"
                and value.isdigit()
                and int(value) > self.max_bytes
            ):
                await _send_too_large(scope, send, self.max_bytes)
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)


async def _send_too_large(scope: Scope, send: Send, limit: int) -> None:
    response = problem_response(Request(scope), BodyTooLargeError(limit))
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
