"""SSM's document as customize_openapi completes it: examples and token rules."""

from typing import Any

import pytest
from openapi_spec_validator import validate

from ssm_api.api.app import create_app
from ssm_api.api.openapi import EXAMPLES, customize_openapi
from ssm_api.config import Settings

from .openapi_support import example_errors, load_tool, operations

SCOPE = "ssm:authorize"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(load_tool().development_settings(Settings))
    customize_openapi(app)
    served: dict[str, Any] = app.openapi()
    return served


def test_the_completed_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


def test_every_example_fits_its_schema(document: dict[str, Any]) -> None:
    with_examples = {
        name
        for name, operation in operations(document)
        for body in [operation.get("requestBody", {}), *operation["responses"].values()]
        if any("examples" in media for media in body.get("content", {}).values())
    }

    assert example_errors(document) == []
    assert with_examples == set(EXAMPLES)


def test_the_authorization_operations_ask_for_a_scoped_service_token(
    document: dict[str, Any],
) -> None:
    scheme = document["components"]["securitySchemes"]["HTTPBearer"]

    scoped = {
        name: operation["security"]
        for name, operation in operations(document)
        if name.startswith("POST /access/")
    }

    assert scheme["bearerFormat"] == "JWT"
    assert SCOPE in scheme["description"]
    assert scoped == {
        "POST /access/v1/evaluation": [{"HTTPBearer": [SCOPE]}],
        "POST /access/v1/evaluations": [{"HTTPBearer": [SCOPE]}],
        "POST /access/v1/search/resource": [{"HTTPBearer": [SCOPE]}],
    }
