"""Liveness, readiness and metrics endpoints, the same in every service."""

from collections.abc import Awaitable, Callable

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

log = structlog.get_logger(__name__)

ReadinessCheck = Callable[[], Awaitable[str | None]]
"""Return None when ready, else a short reason fit for operators."""


def probe_router() -> APIRouter:
    """Build the /healthz, /readyz and /metrics routes, outside the API's schema."""
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        check: ReadinessCheck = request.app.state.readiness_check
        try:
            reason = await check()
        except Exception as exc:
            reason = f"check failed: {type(exc).__name__}"
        if reason is not None:
            log.warning("readiness.failed", reason=reason)
            return JSONResponse({"status": "unavailable", "reason": reason}, 503)
        return JSONResponse({"status": "ready"})

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        registry: CollectorRegistry = request.app.state.metrics_registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
