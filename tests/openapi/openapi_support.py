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
    """Check every request and response example against its media type's schema."""
    errors: list[str] = []
    for name, operation in operations(document):
        bodies = {"request": operation.get("requestBody", {})}
        bodies |= operation["responses"]
        for where, body in bodies.items():
            for media, content in body.get("content", {}).items():
                for label, example in content.get("examples", {}).items():
                    schema = content.get("schema", {})
                    found = _violations(document, schema, example["value"])
                    errors += [f"{name} {where} {media} {label}: {e}" for e in found]
    return errors


def _violations(
    document: dict[str, Any], schema: dict[str, Any], value: Any
) -> list[str]:
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; their $refs point into components.
    root = schema | {"components": document.get("components", {})}
    validator = Draft202012Validator(root)
    return [error.message for error in validator.iter_errors(value)]
