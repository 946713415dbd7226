"""The published OpenAPI documents: current, valid, and complete for integrators."""

import json
from functools import cache
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from openapi_spec_validator import validate

from .openapi_support import example_errors, load_tool, operations

tool = load_tool()
DOCUMENTS = {document.filename: document for document in tool.DOCUMENTS}
SERVICES = ("ssm-api.json", "myhandicap-api.json")
PROBLEM = "application/problem+json"
PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}

# What anyone may call without a token: the stub's logins and discovery, and
# the discovery of SSM's authorization endpoints.
PUBLIC = {
    "identity-stub.json": {
        "GET /healthz",
        "GET /.well-known/openid-configuration",
        "GET /jwks.json",
        "POST /token",
        "POST /dev/tokens",
        "GET /dev/persons",
    },
    "ssm-api.json": {"GET /.well-known/authzen-configuration"},
    "myhandicap-api.json": set(),
}

# Response headers the contract promises, by status.
PROMISED_HEADERS = {"201": "Location", "401": "WWW-Authenticate", "429": "Retry-After"}


@cache
def served(filename: str) -> tuple[FastAPI, dict[str, Any]]:
    """Build the app once per document and return it with what it serves."""
    app = DOCUMENTS[filename].build()
    return app, app.openapi()


def committed(filename: str) -> dict[str, Any]:
    path = DOCUMENTS[filename].path
    if not path.exists():
        pytest.fail(f"{path.name} is missing: run `make openapi` and commit it")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_the_committed_document_is_what_the_app_serves(filename: str) -> None:
    diff = tool.stale_diff(DOCUMENTS[filename])

    assert diff is None, (
        f"openapi/{filename} is not what the app serves now: run `make openapi` "
        f"and commit the result.\n{diff}"
    )


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_the_committed_document_is_valid_openapi(filename: str) -> None:
    document = committed(filename)

    validate(document)

    assert document["servers"][0]["url"] == DOCUMENTS[filename].local_url


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_every_operation_has_its_own_summary_and_a_description(filename: str) -> None:
    app, document = served(filename)
    gaps, seen = [], set()

    for route in iter_route_contexts(app.routes):
        if (
            not isinstance(route.original_route, APIRoute)
            or not route.include_in_schema
        ):
            continue
        for method in sorted(route.methods or ()):
            name = f"{method} {route.path_format}"
            seen.add(name)
            # Without summary=, FastAPI makes one up from the handler's name.
            if not route.summary:
                gaps.append(f"{name} ({route.name}): no summary")
            if not route.description:
                gaps.append(f"{name} ({route.name}): no description")

    assert not gaps, "\n".join(gaps)
    assert seen == {name for name, _ in operations(document)}


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_every_operation_but_the_public_ones_needs_a_token(filename: str) -> None:
    _, document = served(filename)
    schemes = document.get("components", {}).get("securitySchemes", {})
    gaps = []

    names = {name for name, _ in operations(document)}
    for name, operation in operations(document):
        if name in PUBLIC[filename]:
            continue
        requirements = operation.get("security", [])
        if not requirements:
            gaps.append(f"{name}: no security requirement")
        for requirement in requirements:
            unknown = set(requirement) - set(schemes)
            if unknown:
                gaps.append(f"{name}: unknown security schemes {sorted(unknown)}")

    assert not gaps, "\n".join(gaps)
    assert PUBLIC[filename] <= names, "a public operation listed here is gone"


def problem_gaps(name: str, operation: dict[str, Any]) -> list[str]:
    """Tell which problem answers an operation fails to document, and how."""
    responses = operation["responses"]
    expected = set()
    if operation.get("security"):
        # The token check answers 401, 403, and 503 when the JWKS cannot be read.
        expected |= {"401", "403", "503"}
    if "requestBody" in operation:
        expected |= {"413", "422"}
    gaps = [
        f"{name}: no {status} response" for status in sorted(expected - set(responses))
    ]
    for status, response in sorted(responses.items()):
        if not status.startswith(("4", "5")):
            continue
        content = response.get("content", {})
        if set(content) != {PROBLEM}:
            gaps.append(
                f"{name} {status}: media types {sorted(content)}, not {PROBLEM}"
            )
        elif content[PROBLEM].get("schema") != PROBLEM_SCHEMA:
            gaps.append(f"{name} {status}: {PROBLEM} without the Problem schema")
    return gaps


@pytest.mark.parametrize("filename", SERVICES)
def test_every_error_is_a_documented_problem(filename: str) -> None:
    _, document = served(filename)

    gaps = [
        gap
        for name, operation in operations(document)
        for gap in problem_gaps(name, operation)
    ]

    assert not gaps, "\n".join(gaps)
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.parametrize("filename", SERVICES)
def test_the_promised_response_headers_are_documented(filename: str) -> None:
    _, document = served(filename)
    gaps = []

    for name, operation in operations(document):
        for status, header in PROMISED_HEADERS.items():
            response = operation["responses"].get(status)
            if response is not None and header not in response.get("headers", {}):
                gaps.append(f"{name} {status}: no {header} header")

    assert not gaps, "\n".join(gaps)


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_every_example_fits_its_schema(filename: str) -> None:
    _, document = served(filename)

    assert example_errors(document) == []
