"""What SSM's OpenAPI document says beyond its routes: examples and token rules."""

import copy
from typing import Any

from fastapi import FastAPI

from service_kit.problems import problem_body
from ssm_api.api import examples as ex
from ssm_api.api.routes.authzen import SCOPE

Example = dict[str, Any]

BEARER_DESCRIPTION = f"""\
A JWT signed (RS256) by the identity provider, checked against its JWKS, with \
`iss`, `aud` (`ssm-api`) and `exp`. Citizens call the `/v1` operations with the \
person token of their login with eID or itsme (a password login is too weak). \
E-services call the authorization operations with a service token of the client \
credentials grant that carries the scope `{SCOPE}`. No token or an invalid one \
gets 401 with `WWW-Authenticate: Bearer`; a token of the wrong kind or without \
the scope gets 403. When the identity provider's keys cannot be read to check a \
token, the answer is 503."""

# The operations for e-services, and the scopes their token needs.
SERVICE_SCOPES: dict[str, list[str]] = {
    "POST /access/v1/evaluation": [SCOPE],
    "POST /access/v1/evaluations": [SCOPE],
    "POST /access/v1/search/resource": [SCOPE],
}


def _example(summary: str, value: Any) -> Example:
    return {"summary": summary, "value": value}


PAST_START = problem_body(
    ex.invalid_input("start_date", "The start date cannot lie before today."),
    "/v1/mandates",
)

# What operations show beyond the examples of their schemas, which null values
# need too (FastAPI drops them): per operation, "request" or a status code to
# its named examples.
EXAMPLES: dict[str, dict[str, dict[str, Example]]] = {
    "POST /v1/persons/search": {
        "request": {"jan": _example("Jan Peters, at home", ex.JAN_SEARCH)}
    },
    "POST /v1/mandates": {
        "request": {"jane_for_jan": _example("Jane asks to act for Jan", ex.CREATE)},
        "201": {"pending": _example("Waiting for Jan", ex.PENDING)},
        "422": {"past_start": _example("Starts before today", PAST_START)},
    },
    "GET /v1/mandates/{mandate_id}/events": {
        "200": {"signed": _example("Created by Jane, signed by Jan", ex.EVENTS)},
    },
    "POST /v1/mandates/{mandate_id}/sign": {
        "request": {"accept": _example("Jan signs", ex.SIGN)},
        "200": {"active": _example("Active from today", ex.ACTIVE)},
    },
    "POST /v1/mandates/{mandate_id}/refuse": {
        "request": {"reason": _example("With a reason", ex.REFUSE)},
        "200": {"refused": _example("Refused by Jan", ex.REFUSED)},
    },
    "POST /v1/mandates/{mandate_id}/withdraw": {
        "200": {"withdrawn": _example("Taken back by Jane", ex.WITHDRAWN)},
    },
    "POST /v1/mandates/{mandate_id}/stop": {
        "request": {"stop": _example("Jan stops it", ex.STOP_REQUEST)},
        "200": {"stopped": _example("Stopped a week later", ex.STOPPED)},
    },
    "GET /v1/mandate-types": {
        "200": {"catalogue": _example("The one type there is", [ex.MYHANDICAP])},
    },
    "POST /access/v1/evaluation": {
        "request": {
            "today": _example("May Jane act for Jan today?", ex.QUESTION),
            "on_a_date": _example(
                "And on a later day?", ex.QUESTION | {"context": ex.LATER}
            ),
        },
        "200": {
            "allowed": _example("Allowed under an active mandate", ex.ALLOWED),
            "denied": _example("Denied: the mandate was stopped", ex.DENIED),
        },
    },
    "POST /access/v1/evaluations": {
        "request": {"batch": _example("Jane, for two persons", ex.BATCH)},
        "200": {"answers": _example("In the order asked", ex.BATCH_ANSWERS)},
    },
    "POST /access/v1/search/resource": {
        "request": {"first_page": _example("Whom may Jane act for?", ex.SEARCH)},
        "200": {"last_page": _example("One person, the last page", ex.FOUND)},
    },
}


def customize_openapi(app: FastAPI) -> None:
    """Make the app serve its OpenAPI document with examples and token rules."""
    # The app's own hook already documents errors as problems; add to its result.
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = customized(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented hook


def customized(document: dict[str, Any]) -> dict[str, Any]:
    """Add the examples and token rules to the app's generated document."""
    scheme_name, scheme = _bearer_scheme(document)
    scheme.update(bearerFormat="JWT", description=BEARER_DESCRIPTION)
    for name, scopes in SERVICE_SCOPES.items():
        _operation(document, name)["security"] = [{scheme_name: scopes}]
    for name, examples in EXAMPLES.items():
        operation = _operation(document, name)
        for where, named in examples.items():
            target = (
                operation["requestBody"]
                if where == "request"
                else operation["responses"][where]
            )
            for media_type in target["content"].values():
                media_type["examples"] = copy.deepcopy(named)
    return document


def _operation(document: dict[str, Any], name: str) -> dict[str, Any]:
    method, path = name.split(" ", 1)
    operation: dict[str, Any] = document["paths"][path][method.lower()]
    return operation


def _bearer_scheme(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    schemes: dict[str, dict[str, Any]] = document["components"]["securitySchemes"]
    return next(
        (name, scheme)
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and scheme.get("scheme") == "bearer"
    )
