"""Every operation of the published documents shows examples that fit its schemas."""

import re
from functools import cache
from typing import Any

import pytest

from .openapi_support import bodies, example_errors, examples, load_tool, operations

tool = load_tool()
DOCUMENTS = {document.filename: document for document in tool.DOCUMENTS}
SERVICES = ("ssm-api.json", "myhandicap-api.json")
PROBLEM = "application/problem+json"
PROBLEM_TYPE = "urn:mandates:problem:"
COMPONENT = re.compile(r"#/components/schemas/(?P<name>[^/]+)")


@cache
def served(filename: str) -> dict[str, Any]:
    document: dict[str, Any] = DOCUMENTS[filename].build().openapi()
    return document


def has_example(document: dict[str, Any], media_type: dict[str, Any]) -> bool:
    """Tell whether a media type shows an example, itself or by its schema."""
    if "example" in media_type or media_type.get("examples"):
        return True
    match = COMPONENT.fullmatch(media_type.get("schema", {}).get("$ref", ""))
    if match is None:
        return False
    component = document["components"]["schemas"][match["name"]]
    return bool(component.get("examples"))


def shown(where: str) -> bool:
    """Tell a request body, a success or a problem, which all need an example."""
    return where == "request" or where.startswith(("2", "4", "5"))


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_every_body_success_and_problem_has_an_example(filename: str) -> None:
    document = served(filename)

    gaps = [
        f"{name} {where} {media}"
        for name, operation in operations(document)
        for where, body in bodies(operation)
        if shown(where)
        for media, media_type in body.get("content", {}).items()
        if not has_example(document, media_type)
    ]

    assert not gaps, "no example for:\n" + "\n".join(gaps)


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_every_example_fits_its_schema(filename: str) -> None:
    document = served(filename)

    assert example_errors(document) == []
    assert sum(1 for _ in examples(document)) > len(list(operations(document)))


@pytest.mark.parametrize("filename", DOCUMENTS)
def test_every_problem_example_answers_its_own_status_and_path(
    filename: str,
) -> None:
    document = served(filename)
    mistakes = []

    for name, operation in operations(document):
        path = re.escape(name.split(" ", 1)[1])
        # A path parameter stands for one segment, never for a placeholder.
        instance = re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/{}]+", path))
        for status, response in operation["responses"].items():
            problem = response.get("content", {}).get(PROBLEM, {})
            for label, example in problem.get("examples", {}).items():
                value = example["value"]
                if value["status"] != int(status):
                    mistakes.append(f"{name} {status} {label}: {value['status']}")
                if not instance.fullmatch(value["instance"]):
                    mistakes.append(f"{name} {status} {label}: {value['instance']}")
                if filename in SERVICES and not value["type"].startswith(PROBLEM_TYPE):
                    mistakes.append(f"{name} {status} {label}: {value['type']}")

    assert not mistakes, "\n".join(mistakes)
