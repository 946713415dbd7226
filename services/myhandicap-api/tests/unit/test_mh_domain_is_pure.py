import ast
from pathlib import Path

import myhandicap_api.domain

FORBIDDEN = {"fastapi", "sqlalchemy", "httpx", "pydantic", "starlette", "structlog"}
DOMAIN = Path(myhandicap_api.domain.__file__).parent


def imported_roots(source):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_the_domain_imports_no_framework():
    offenders = {
        f"{path.name}: {root}"
        for path in DOMAIN.rglob("*.py")
        for root in imported_roots(path.read_text())
        if root in FORBIDDEN
    }

    assert sorted(DOMAIN.rglob("*.py")), "the domain package has no modules"
    assert offenders == set()
