import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
DOMAIN = SRC / "ssm_api" / "domain"
DOMAIN_FILES = sorted(DOMAIN.rglob("*.py"))
FRAMEWORKS = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "httpx",
    "pydantic",
    "alembic",
    "structlog",
}


def imports_in(source: str, package: tuple[str, ...]) -> set[str]:
    """Return the absolute names of the modules some source imports, anywhere."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module or "")
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1]
            names.add(".".join([*base, *filter(None, [node.module])]))
    return names


def imported_modules(path: Path) -> set[str]:
    package = path.relative_to(SRC).with_suffix("").parts[:-1]
    return imports_in(path.read_text(encoding="utf-8"), package)


def test_the_walk_finds_the_domain_modules() -> None:
    names = {p.name for p in DOMAIN_FILES}

    assert {"mandate.py", "access.py", "views.py", "national_number.py"} <= names


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: p.name)
def test_the_domain_imports_no_framework(path: Path) -> None:
    modules = imported_modules(path)

    assert {m.split(".")[0] for m in modules} & FRAMEWORKS == set()


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: p.name)
def test_the_domain_imports_only_the_standard_library_and_itself(path: Path) -> None:
    modules = imported_modules(path)

    foreign = {
        m
        for m in modules
        if m.split(".")[0] not in sys.stdlib_module_names
        and m != "ssm_api.domain"
        and not m.startswith("ssm_api.domain.")
    }
    assert foreign == set()


def test_the_guard_sees_aliases_relative_and_nested_imports() -> None:
    source = (
        "import sqlalchemy.orm as orm\n"
        "from pydantic import BaseModel\n"
        "from . import mandate\n"
        "from .errors import DomainError\n"
        "from ..api import app\n"
        "def late():\n"
        "    import httpx\n"
    )

    modules = imports_in(source, ("ssm_api", "domain"))

    assert modules == {
        "sqlalchemy.orm",
        "pydantic",
        "ssm_api.domain",
        "ssm_api.domain.errors",
        "ssm_api.api",
        "httpx",
    }
