"""RFC 9457 problem details: one error type, one set of handlers, one schema."""

import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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


def problem_body(error: ProblemError, instance: str | None) -> dict[str, Any]:
    """Return the problem document of an error; without instance, none is set."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.slug,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
    }
    if instance is not None:
        body["instance"] = instance
    body |= error.extensions
    if error.errors:
        body["errors"] = [e.model_dump() for e in error.errors]
    return body


def problem_response(request: Request, error: ProblemError) -> JSONResponse:
    """Render a problem error as an application/problem+json response."""
    return JSONResponse(
        problem_body(error, request.url.path),
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


@dataclass(frozen=True)
class ProblemExample:
    """A problem that a route answers, at a path of its own choosing.

    An example's instance is the operation's path with the examples of its path
    parameters; `path` replaces some of them, as a refused parameter needs.
    """

    error: ProblemError
    path: Mapping[str, str]


# Where an example keeps its own path parameters until the document is finished.
_PATH_KEY = "x-path-parameters"


def problem_responses(
    *statuses: int, examples: Iterable[ProblemError | ProblemExample] = ()
) -> dict[int | str, dict[str, Any]]:
    """Describe the problem answers of a route for its OpenAPI operation.

    `examples` are problems the route answers, shown for their status instead
    of the typical problem of that status; `document_problems` completes them.
    """
    shown: dict[int, dict[str, Any]] = {}
    for item in examples:
        error = item.error if isinstance(item, ProblemExample) else item
        if error.status not in statuses:
            raise ValueError(f"an example of status {error.status}, not documented")
        example = _example(error, instance=None)
        if isinstance(item, ProblemExample):
            example[_PATH_KEY] = dict(item.path)
        shown.setdefault(error.status, {})[error.slug] = example
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        media_type = {"examples": shown[status]} if status in shown else {}
        response: dict[str, Any] = {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: media_type},
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
    for an error response are kept; one without them gets the typical problem
    of its status. Examples without an `instance` get the operation's path, with
    the examples of its path parameters filled in.
    """
    for path, item in document.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if str(status).startswith(("4", "5")):
                    content = _problem_content(response.get("content", {}))
                    if str(status).isdigit():
                        media_type = content[PROBLEM_MEDIA_TYPE]
                        _complete_examples(media_type, int(status), path, operation)
                    response["content"] = content
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _problem_schemas().items():
        schemas.setdefault(name, schema)
    for name in _FASTAPI_ERROR_SCHEMAS:
        if name in schemas and not _is_referenced(document, name):
            del schemas[name]
    return document


def _problem_content(content: dict[str, dict[str, Any]]) -> dict[str, Any]:
    media_type = content.get(PROBLEM_MEDIA_TYPE) or next(iter(content.values()), {})
    # A copy: routes share their responses, and each operation gets its instance.
    media_type = copy.deepcopy(media_type)
    return {PROBLEM_MEDIA_TYPE: media_type | {"schema": dict(PROBLEM_SCHEMA_REF)}}


# The problem that each status typically is, where the kit itself answers it.
_TYPICAL: dict[int, tuple[str, str]] = {
    400: ("bad-request", "There was an error parsing the body"),
    401: ("unauthorized", "A bearer token is required."),
    403: ("forbidden", "Log in with eID or itsme for this operation."),
    413: ("payload-too-large", "Request bodies are limited to 65536 bytes."),
    500: ("internal-error", "An unexpected error occurred."),
    503: ("identity-provider-unavailable", "Tokens cannot be checked now."),
}


def _typical_problem(status: int, operation: Mapping[str, Any]) -> ProblemError:
    if status == 422:
        # The operation's body, or else its first parameter, as if left out.
        names = [parameter["name"] for parameter in operation.get("parameters", ())]
        field = "body" if "requestBody" in operation or not names else names[0]
        missing = FieldError(field=field, message="Field required")
        detail = "The request is not valid; see errors."
        return ProblemError(422, "invalid-input", detail, errors=[missing])
    slug, detail = _TYPICAL.get(status) or (_slug(status), HTTPStatus(status).phrase)
    return ProblemError(status, slug, detail)


def _slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-")


def _example(error: ProblemError, instance: str | None) -> dict[str, Any]:
    return {"summary": error.detail, "value": problem_body(error, instance)}


def _complete_examples(
    media_type: dict[str, Any], status: int, path: str, operation: Mapping[str, Any]
) -> None:
    if "example" not in media_type and not media_type.get("examples"):
        error = _typical_problem(status, operation)
        media_type["examples"] = {error.slug: _example(error, instance=None)}
    for example in media_type.get("examples", {}).values():
        if not isinstance(example, dict):
            continue
        chosen = example.pop(_PATH_KEY, {})
        value = example.get("value")
        if isinstance(value, dict) and "instance" not in value:
            value["instance"] = _instance(path, operation, chosen)


_PATH_PARAMETER = re.compile(r"\{([^}]+)\}")


def _instance(
    path: str, operation: Mapping[str, Any], chosen: Mapping[str, str]
) -> str:
    """Return the path, each parameter replaced by its chosen value or example."""
    values = {
        parameter["name"]: _first_example(parameter)
        for parameter in operation.get("parameters", ())
        if parameter.get("in") == "path"
    } | dict(chosen)

    def value(match: re.Match[str]) -> str:
        found = values.get(match[1])
        return match[0] if found is None else str(found)

    return _PATH_PARAMETER.sub(value, path)


def _first_example(parameter: Mapping[str, Any]) -> Any:
    if "example" in parameter:
        return parameter["example"]
    for example in parameter.get("examples", {}).values():
        return example.get("value")
    return next(iter(parameter.get("schema", {}).get("examples", [])), None)


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
    slug = _slug(exc.status_code)
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
