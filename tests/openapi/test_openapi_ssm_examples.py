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
    assert example_errors(document) == []


def test_each_operation_shows_its_own_examples(document: dict[str, Any]) -> None:
    by_name = dict(operations(document))
    missing = []

    for name, shown in EXAMPLES.items():
        operation = by_name[name]
        for where, named in shown.items():
            body = (
                operation["requestBody"]
                if where == "request"
                else operation["responses"][where]
            )
            for media, content in body["content"].items():
                if content.get("examples") != named:
                    missing.append(f"{name} {where} {media}")

    assert not missing, "\n".join(missing)


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
