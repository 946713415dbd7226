"""The OpenAPI document of a service app: every error a problem, ids by name."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, Path
from pydantic import BaseModel, ConfigDict

from service_kit.app import create_service_app
from service_kit.problems import (
    PROBLEM_MEDIA_TYPE,
    PROBLEM_SCHEMA_REF,
    ProblemError,
    ProblemExample,
    document_problems,
    problem_responses,
)
from service_kit.settings import ServiceSettings


class Greeting(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "Dag Jan", "sender": None}]}
    )

    text: str
    sender: str | None = None


@asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def make_app(*routers: APIRouter) -> FastAPI:
    app = create_service_app(
        ServiceSettings(environment="test", log_format="console"),
        lifespan=no_lifespan,
        title="test",
    )
    for router in routers:
        app.include_router(router)
    return app


def greetings() -> APIRouter:
    router = APIRouter(responses=problem_responses(401, 403, 503))

    @router.post("/greetings", status_code=201, responses=problem_responses(429))
    async def create_greeting(body: Greeting) -> Greeting:
        return body

    @router.get(
        "/greetings/{number}",
        responses=problem_responses(
            404, examples=[ProblemError(404, "no-greeting", "No such greeting.")]
        ),
    )
    async def read_greeting(
        number: Annotated[int, Path(examples=[7])],
    ) -> Greeting:
        return Greeting(text=str(number))

    return router


def responses_of(document: dict[str, Any], path: str, method: str) -> Any:
    return document["paths"][path][method]["responses"]


def problem_schema_of(response: dict[str, Any]) -> dict[str, Any]:
    """Return the media types of a response, each with its schema alone."""
    content = response["content"]
    return {media: {"schema": shown["schema"]} for media, shown in content.items()}


def shown_problems(response: dict[str, Any]) -> list[dict[str, Any]]:
    examples = response["content"][PROBLEM_MEDIA_TYPE]["examples"]
    return [example["value"] for example in examples.values()]


PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA_REF}}


def test_problem_responses_document_the_promised_headers() -> None:
    responses = problem_responses(401, 404, 429)

    assert set(responses[401]["headers"]) == {"WWW-Authenticate"}
    assert "headers" not in responses[404]
    assert set(responses[429]["headers"]) == {"Retry-After"}


def test_every_error_is_documented_as_a_problem() -> None:
    document = make_app(greetings()).openapi()

    created = responses_of(document, "/greetings", "post")
    read = responses_of(document, "/greetings/{number}", "get")

    assert set(created) == {"201", "401", "403", "422", "429", "503"}
    for status in ("401", "403", "422", "429", "503"):
        assert problem_schema_of(created[status]) == PROBLEM_CONTENT, status
    # FastAPI's own answer to invalid input is documented as the problem it is.
    assert problem_schema_of(read["422"]) == PROBLEM_CONTENT
    assert "WWW-Authenticate" in created["401"]["headers"]
    assert "Retry-After" in created["429"]["headers"]
    schemas = document["components"]["schemas"]
    assert {"Problem", "FieldError"} <= set(schemas)
    assert not {"HTTPValidationError", "ValidationError"} & set(schemas)


def test_operations_are_named_after_their_functions() -> None:
    document = make_app(greetings()).openapi()

    ids = {
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
    }

    assert ids == {"create_greeting", "read_greeting"}


def test_an_app_without_problem_responses_still_gets_the_problem_schema() -> None:
    router = APIRouter()

    @router.get("/numbers/{number}")
    async def read_number(number: int) -> int:
        return number

    document = make_app(router).openapi()

    read = responses_of(document, "/numbers/{number}", "get")
    assert problem_schema_of(read["422"]) == PROBLEM_CONTENT
    assert {"Problem", "FieldError"} <= set(document["components"]["schemas"])


def test_a_second_wrapper_adds_to_the_finished_document() -> None:
    app = make_app(greetings())
    finished = app.openapi

    def openapi() -> dict[str, Any]:
        document = finished()
        content = responses_of(document, "/greetings", "post")["403"]["content"]
        content[PROBLEM_MEDIA_TYPE]["examples"] = {"x": {"value": {}}}
        return document

    app.openapi = openapi  # type: ignore[method-assign]

    document = app.openapi()

    forbidden = responses_of(document, "/greetings", "post")["403"]["content"]
    assert set(forbidden) == {PROBLEM_MEDIA_TYPE}
    assert forbidden[PROBLEM_MEDIA_TYPE]["examples"] == {"x": {"value": {}}}
    assert app.openapi() is document


def test_examples_of_an_error_survive_documenting_it_as_a_problem() -> None:
    example = {"summary": "s", "value": {"status": 409}}
    document = {
        "paths": {
            "/x": {
                "post": {
                    "responses": {
                        "409": {"content": {"application/json": {"examples": example}}}
                    }
                }
            }
        }
    }

    document_problems(document)

    content = document["paths"]["/x"]["post"]["responses"]["409"]["content"]
    assert content == {
        PROBLEM_MEDIA_TYPE: {"examples": example, "schema": PROBLEM_SCHEMA_REF}
    }


def test_two_operations_with_one_name_are_refused() -> None:
    first, second = APIRouter(prefix="/a"), APIRouter(prefix="/b")
    for router in (first, second):

        @router.get("")
        async def read_thing() -> int:
            return 1

    app = make_app(first, second)

    with (
        pytest.warns(UserWarning, match="Duplicate Operation ID"),
        pytest.raises(RuntimeError, match="read_thing"),
    ):
        app.openapi()
    assert app.openapi_schema is None


def test_each_problem_shows_the_typical_problem_of_its_status() -> None:
    document = make_app(greetings()).openapi()

    created = responses_of(document, "/greetings", "post")
    read = responses_of(document, "/greetings/{number}", "get")

    assert shown_problems(created["401"]) == [
        {
            "type": "urn:mandates:problem:unauthorized",
            "title": "Unauthorized",
            "status": 401,
            "detail": "A bearer token is required.",
            "instance": "/greetings",
        }
    ]
    [invalid] = shown_problems(created["422"])
    assert invalid["errors"] == [{"field": "body", "message": "Field required"}]
    [too_many] = shown_problems(created["429"])
    assert too_many["type"] == "urn:mandates:problem:too-many-requests"
    # Without a body, invalid input names the first parameter.
    [invalid] = shown_problems(read["422"])
    assert invalid["errors"] == [{"field": "number", "message": "Field required"}]


def test_a_route_shows_its_own_problems_at_a_path_of_its_parameter_examples() -> None:
    document = make_app(greetings()).openapi()

    read = responses_of(document, "/greetings/{number}", "get")

    assert shown_problems(read["404"]) == [
        {
            "type": "urn:mandates:problem:no-greeting",
            "title": "Not Found",
            "status": 404,
            "detail": "No such greeting.",
            "instance": "/greetings/7",
        }
    ]
    assert shown_problems(read["401"])[0]["instance"] == "/greetings/7"


def test_an_example_of_a_status_not_documented_is_refused() -> None:
    with pytest.raises(ValueError, match="404"):
        problem_responses(409, examples=[ProblemError(404, "gone", "Gone.")])


def test_the_examples_of_schemas_keep_their_nulls() -> None:
    document = make_app(greetings()).openapi()

    greeting = document["components"]["schemas"]["Greeting"]

    assert greeting["examples"] == [{"text": "Dag Jan", "sender": None}]


def test_an_example_may_choose_its_path_parameters() -> None:
    router = APIRouter()
    mistyped = ProblemError(422, "invalid-input", "Not a number.")

    @router.get(
        "/greetings/{number}",
        responses=problem_responses(
            422, examples=[ProblemExample(mistyped, path={"number": "seven"})]
        ),
    )
    async def read_greeting(number: Annotated[int, Path(examples=[7])]) -> int:
        return number

    document = make_app(router).openapi()

    read = responses_of(document, "/greetings/{number}", "get")
    [example] = read["422"]["content"][PROBLEM_MEDIA_TYPE]["examples"].values()
    assert example["value"]["instance"] == "/greetings/seven"
    assert set(example) == {"summary", "value"}
