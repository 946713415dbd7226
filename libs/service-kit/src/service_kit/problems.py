"""RFC 9457 problem details: one error type, one set of handlers, one schema."""

import copy
import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:mandates:problem:"
PROBLEM_SCHEMA_REF = {"$ref": "#/components/schemas/Problem"}
_SCHEMAS_REF = "#/components/schemas/{model}"
# FastAPI's own error schemas, unused once every error is a problem document.
_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")

log = structlog.get_logger(__name__)


class FieldError(BaseModel):
    """One invalid input field."""

    field: str
    message: str


class Problem(BaseModel):
    """An error answer, as RFC 9457 describes it."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """An error that the API edge answers as a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        title: str | None = None,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        Exception.__init__(self, detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.errors = list(errors)
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})


def problem_response(request: Request, error: ProblemError) -> JSONResponse:
    """Render a problem error as an application/problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.slug,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": request.url.path,
        **error.extensions,
    }
    if error.errors:
        body["errors"] = [e.model_dump() for e in error.errors]
    return JSONResponse(
        body,
        status_code=error.status,
        headers=error.headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


# Headers that come with a problem of a given status, as the contract promises.
_PROBLEM_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {
        "WWW-Authenticate": {
            "description": (
                '`Bearer`, with `error="invalid_token"` when a token was refused.'
            ),
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "How many seconds to wait before trying again.",
            "schema": {"type": "integer"},
        }
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Describe the problem answers of a route for its OpenAPI operation."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        response: dict[str, Any] = {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        if status in _PROBLEM_HEADERS:
            response["headers"] = copy.deepcopy(_PROBLEM_HEADERS[status])
        responses[status] = response
    return responses


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Make every error response of an OpenAPI document a Problem document.

    FastAPI documents a response model under `application/json` and its own
    validation errors with a schema of its own; the app answers both as
    `application/problem+json` with the Problem schema. Examples already given
    for an error response are kept.
    """
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if str(status).startswith(("4", "5")):
                    response["content"] = _problem_content(response.get("content", {}))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _problem_schemas().items():
        schemas.setdefault(name, schema)
    for name in _FASTAPI_ERROR_SCHEMAS:
        if name in schemas and not _is_referenced(document, name):
            del schemas[name]
    return document


def _problem_content(content: dict[str, dict[str, Any]]) -> dict[str, Any]:
    media_type = content.get(PROBLEM_MEDIA_TYPE) or next(iter(content.values()), {})
    return {PROBLEM_MEDIA_TYPE: media_type | {"schema": dict(PROBLEM_SCHEMA_REF)}}


def _problem_schemas() -> dict[str, dict[str, Any]]:
    schema = Problem.model_json_schema(ref_template=_SCHEMAS_REF, mode="serialization")
    definitions: dict[str, dict[str, Any]] = schema.pop("$defs", {})
    return {"Problem": schema, **definitions}


def _is_referenced(document: dict[str, Any], name: str) -> bool:
    reference = json.dumps(_SCHEMAS_REF.format(model=name))
    return reference in json.dumps(document)


def _field_name(location: Sequence[int | str]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(field=_field_name(e.get("loc", ())), message=str(e.get("msg", "")))
        for e in exc.errors()
    ]
    error = ProblemError(
        422, "invalid-input", "The request is not valid; see errors.", errors=errors
    )
    return problem_response(request, error)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc)


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
    error = ProblemError(exc.status_code, slug, str(exc.detail), headers=exc.headers)
    return problem_response(request, error)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("http.unhandled_error", error_type=type(exc).__name__, exc_info=exc)
    error = ProblemError(500, "internal-error", "An unexpected error occurred.")
    return problem_response(request, error)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of the app as a problem document, never a stack trace."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(Exception, _on_unexpected)
