"""What SSM's OpenAPI document says beyond its routes: examples and token rules."""

import copy
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

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

JANE = {"national_number": "01010112301", "first_name": "Jane", "last_name": "Doe"}
JAN = {"national_number": "12121212376", "first_name": "Jan", "last_name": "Peters"}
JAN_SEARCH = {
    "national_number": "12121212376",
    "street": "Schoolstraat",
    "house_number": "1",
    "postal_code": "9000",
}
MANDATE_ID = "3f0c8a52-6d1e-4b7a-9c2e-5a8d7e1f4b60"
CREATED_AT = "2026-12-03T09:15:02Z"
SIGNED_BY_JANE = {"role": "mandatary", "signed_at": CREATED_AT, "method": "itsme"}
SIGNED_BY_JAN = {
    "role": "mandator",
    "signed_at": "2026-12-03T10:41:37Z",
    "method": "eid",
}
QUESTION = {
    "subject": {"type": "person", "id": "01010112301"},
    "action": {"name": "MYHANDICAP"},
    "resource": {"type": "person", "id": "12121212376"},
}


def _mandate(status: str, **changes: Any) -> Example:
    mandate = {
        "id": MANDATE_ID,
        "type": "MYHANDICAP",
        "status": status,
        "mandator": JAN,
        "mandatary": JANE,
        "initiator": "mandatary",
        "start_date": "2026-12-03",
        "end_date": None,
        "active_since": None,
        "reference": "Aanvraag parkeerkaart",
        "language": "nl",
        "signatures": [SIGNED_BY_JANE],
        "stop": None,
        "created_at": CREATED_AT,
    }
    return mandate | changes


def _problem(status: int, slug: str, detail: str, **extra: Any) -> Example:
    instance = extra.pop("instance", "/v1/mandates")
    problem = {
        "type": f"urn:mandates:problem:{slug}",
        "title": HTTPStatus(status).phrase,
    }
    return problem | {"status": status, "detail": detail, "instance": instance} | extra


def _example(summary: str, value: Any) -> Example:
    return {"summary": summary, "value": value}


CREATE = {
    "type": "MYHANDICAP",
    "role": "mandatary",
    "counterparty": JAN_SEARCH,
    "start_date": "2026-12-03",
    "end_date": None,
    "reference": "Aanvraag parkeerkaart",
    "language": "nl",
    "accept_conditions": True,
    "initiator_email": None,
    "counterparty_email": "jan.peters@example.org",
}
ACTIVE = _mandate(
    "active", active_since="2026-12-03", signatures=[SIGNED_BY_JANE, SIGNED_BY_JAN]
)
STOP_REQUEST = {"accept_conditions": True, "reason": "Niet meer nodig."}
PAST_START = _problem(
    422,
    "invalid-input",
    "The start date cannot lie before today.",
    errors=[
        {"field": "start_date", "message": "The start date cannot lie before today."}
    ],
)
LATER = {"context": {"date": "2027-01-15"}}
ALLOWED = {"decision": True, "context": {"mandate_id": MANDATE_ID, "end_date": None}}
DENIED = {"decision": False, "context": {"reason": "stopped"}}
NO_SCOPE = _problem(
    403,
    "forbidden",
    f"A service token with scope {SCOPE} is required.",
    instance="/access/v1/evaluation",
)
BATCH = {
    "subject": QUESTION["subject"],
    "action": QUESTION["action"],
    "evaluations": [
        {"resource": QUESTION["resource"]},
        {"resource": {"type": "person", "id": "78042304657"}},
    ],
    "options": {"evaluations_semantic": "execute_all"},
}
BATCH_ANSWERS = {
    "evaluations": [ALLOWED, {"decision": False, "context": {"reason": "no_mandate"}}]
}
SEARCH = {
    "subject": QUESTION["subject"],
    "action": QUESTION["action"],
    "resource": {"type": "person"},
    "page": {"limit": 50},
}
FOUND = {
    "results": [
        {
            "type": "person",
            "id": JAN["national_number"],
            "properties": {
                "mandate_id": MANDATE_ID,
                "first_name": JAN["first_name"],
                "last_name": JAN["last_name"],
                "active_since": "2026-12-03",
                "end_date": None,
            },
        }
    ],
    "page": {"next_token": ""},
}

# Per operation: "request", or a status code, to its named examples.
EXAMPLES: dict[str, dict[str, dict[str, Example]]] = {
    "POST /v1/persons/search": {
        "request": {"jan": _example("Jan Peters, at home", JAN_SEARCH)}
    },
    "POST /v1/mandates": {
        "request": {"jane_for_jan": _example("Jane asks to act for Jan", CREATE)},
        "201": {"pending": _example("Waiting for Jan", _mandate("pending"))},
        "422": {"past_start": _example("Starts before today", PAST_START)},
    },
    "POST /v1/mandates/{mandate_id}/sign": {
        "request": {"accept": _example("Jan signs", {"accept_conditions": True})},
        "200": {"active": _example("Active from today", ACTIVE)},
    },
    "POST /v1/mandates/{mandate_id}/refuse": {
        "request": {"reason": _example("With a reason", {"reason": "Liever niet."})},
    },
    "POST /v1/mandates/{mandate_id}/stop": {
        "request": {"stop": _example("Jan stops it", STOP_REQUEST)},
    },
    "POST /access/v1/evaluation": {
        "request": {
            "today": _example("May Jane act for Jan today?", QUESTION),
            "on_a_date": _example("And on a later day?", QUESTION | LATER),
        },
        "200": {
            "allowed": _example("Allowed under an active mandate", ALLOWED),
            "denied": _example("Denied: the mandate was stopped", DENIED),
        },
        "403": {"person_token": _example("Called with a person token", NO_SCOPE)},
    },
    "POST /access/v1/evaluations": {
        "request": {"batch": _example("Jane, for two persons", BATCH)},
        "200": {"answers": _example("In the order asked", BATCH_ANSWERS)},
    },
    "POST /access/v1/search/resource": {
        "request": {"first_page": _example("Whom may Jane act for?", SEARCH)},
        "200": {"last_page": _example("One person, the last page", FOUND)},
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
