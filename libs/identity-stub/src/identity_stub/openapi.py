"""The examples of person records, added to the stub's finished OpenAPI document.

A record of someone who is no professional holds `"professional": null`, and
FastAPI drops every null from the examples it is given; so these examples, taken
from the demo register itself, are added once FastAPI has made the document.
"""

from typing import Any

from fastapi import FastAPI

from identity_stub import register
from identity_stub.examples import JAN_NRN, record
from identity_stub.schemas import PersonRead

# How many records the example of `GET /dev/persons` shows: Jane, Jan and An.
LISTED = 3


def customize_openapi(app: FastAPI) -> None:
    """Make the app serve its OpenAPI document with examples of person records."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_person_examples(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented hook


def with_person_examples(document: dict[str, Any]) -> dict[str, Any]:
    """Add the examples of person records to the document FastAPI made."""
    schemas = document["components"]["schemas"]
    schemas["PersonRead"]["examples"] = [_shown(record(JAN_NRN))]
    first = [_shown(person) for person in register.all_persons()[:LISTED]]
    listed = document["paths"]["/dev/persons"]["get"]["responses"]["200"]
    listed["content"]["application/json"]["examples"] = {
        "first": {"summary": "The first persons of the register", "value": first}
    }
    return document


def _shown(person: register.PersonRecord) -> dict[str, Any]:
    shown: dict[str, Any] = PersonRead.model_validate(person).model_dump(mode="json")
    return shown
