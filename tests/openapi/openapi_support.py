"""What the OpenAPI tests share: the documents' tool, and walks over a document."""

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "openapi.py"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load_tool() -> ModuleType:
    """Import tools/openapi.py, which is a script and not a package."""
    name = "openapi_documents_tool"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TOOL)
    assert spec is not None, TOOL
    assert spec.loader is not None, TOOL
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield each operation of a document with its name, like `POST /v1/mandates`."""
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def example_errors(document: dict[str, Any]) -> list[str]:
    """Check every example of a document against the schema it illustrates."""
    return [
        f"{where}: {error}"
        for where, schema, value in examples(document)
        for error in _violations(document, schema, value)
    ]


def examples(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Yield every example of a document, where it is, and the schema it must fit.

    Examples sit on media types (`example`, or `examples` by name), on parameters,
    and in schemas (`examples`, a list), the components' included.
    """
    for name, operation in operations(document):
        for parameter in operation.get("parameters", []):
            where = f"{name} parameter {parameter['name']}"
            yield from _media_examples(where, parameter)
            yield from schema_examples(where, parameter.get("schema", {}))
        for where, body in bodies(operation):
            for media, content in body.get("content", {}).items():
                label = f"{name} {where} {media}"
                yield from _media_examples(label, content)
                yield from schema_examples(label, content.get("schema", {}))
    for component, schema in document.get("components", {}).get("schemas", {}).items():
        yield from schema_examples(f"components.schemas.{component}", schema)


def bodies(operation: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield an operation's request body, if any, then its responses by status."""
    if "requestBody" in operation:
        yield "request", operation["requestBody"]
    yield from operation["responses"].items()


def _media_examples(
    where: str, holder: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any], Any]]:
    schema = holder.get("schema", {})
    if "example" in holder:
        yield f"{where} example", schema, holder["example"]
    for label, example in holder.get("examples", {}).items():
        if "value" in example:
            yield f"{where} {label}", schema, example["value"]


_SUBSCHEMA = ("items", "additionalProperties", "contains", "not", "propertyNames")
_SUBSCHEMAS = ("allOf", "anyOf", "oneOf", "prefixItems")
_NAMED_SUBSCHEMAS = ("properties", "patternProperties", "$defs")


def schema_examples(
    where: str, schema: Any
) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Yield the `examples` of a schema and of every schema within it."""
    if not isinstance(schema, dict):
        return
    for index, value in enumerate(schema.get("examples", [])):
        yield f"{where} examples[{index}]", schema, value
    for key in _SUBSCHEMA:
        yield from schema_examples(f"{where}.{key}", schema.get(key))
    for key in _SUBSCHEMAS:
        for index, inner in enumerate(schema.get(key, [])):
            yield from schema_examples(f"{where}.{key}[{index}]", inner)
    for key in _NAMED_SUBSCHEMAS:
        for name, inner in schema.get(key, {}).items():
            yield from schema_examples(f"{where}.{name}", inner)


def _violations(
    document: dict[str, Any], schema: dict[str, Any], value: Any
) -> list[str]:
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; their $refs point into components.
    # Formats are checked too: dates, instants, e-mail addresses and UUIDs.
    root = schema | {"components": document.get("components", {})}
    validator = Draft202012Validator(
        root, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(value)]
