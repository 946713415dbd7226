"""RFC 9457 problem details for every error outside the token endpoint."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://identity-stub.invalid/problems/"
INVALID_INPUT_DETAIL = "The request does not match what this endpoint accepts."
_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})

log = structlog.get_logger(__name__)


class ProblemError(Exception):
    """An expected refusal, answered as a problem with a stable type."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.type = PROBLEM_TYPE_BASE + slug
        self.detail = detail
        self.headers = dict(headers or {})


def problem_body(
    status: int,
    *,
    detail: str,
    instance: str,
    problem_type: str = "about:blank",
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Return the problem document of a refusal."""
    body: dict[str, Any] = {
        "type": problem_type,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    request: Request,
    status: int,
    *,
    detail: str,
    problem_type: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> JSONResponse:
    """Answer with a problem document for the request."""
    body = problem_body(
        status,
        detail=detail,
        instance=request.url.path,
        problem_type=problem_type,
        errors=errors,
    )
    return JSONResponse(
        body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _field_errors(error: RequestValidationError) -> list[dict[str, str]]:
    fields = []
    for item in error.errors():
        location = list(item["loc"])
        if location and location[0] in _SOURCES:
            location = location[1:]
        field = ".".join(str(part) for part in location) or "body"
        fields.append({"field": field, "message": str(item["msg"])})
    return fields


async def _on_problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    return problem_response(
        request,
        error.status,
        detail=error.detail,
        problem_type=error.type,
        headers=error.headers,
    )


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return problem_response(
        request, error.status_code, detail=str(error.detail), headers=error.headers
    )


def _route(request: Request) -> str:
    # The route's template, not the path: paths can carry national numbers.
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


async def _on_invalid_input(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    log.info("request.invalid", route=_route(request))
    return problem_response(
        request,
        422,
        detail=INVALID_INPUT_DETAIL,
        problem_type=PROBLEM_TYPE_BASE + "invalid-input",
        errors=_field_errors(error),
    )


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    log.error("request.failed", route=_route(request), error=type(error).__name__)
    return problem_response(request, 500, detail="The identity stub failed.")


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of the app a problem document."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_invalid_input)
    app.add_exception_handler(Exception, _on_unexpected)
