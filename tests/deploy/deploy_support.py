"""What the deployment checks share: where deploy/ is, the applications, compose."""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"

PORTS = {"identity-stub": 8000, "ssm-api": 8001, "myhandicap-api": 8002}
SERVICES = {"ssm-api": "SSM_", "myhandicap-api": "MYHANDICAP_"}
SECRETS = {"DATABASE_URL", "LOG_HASH_KEY", "CLIENT_SECRET"}

VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>\w+)"
)


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """Substitute variables as Compose does, in every string of a document."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name = match["name"] or match["bare"]
        if name is None:
            return "$"
        given = env.get(name)
        op = match["op"] or ""
        missing = given is None or (op.startswith(":") and not given)
        if missing and op.endswith("?"):
            raise AssertionError(f"compose needs {name}: {match['arg']}")
        if missing or given is None:
            return match["arg"] or ""
        return given

    return VARIABLE.sub(substitute, value)


def compose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Compose file with its variables substituted from env."""
    raw = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return dict(interpolate(raw, env or {}))


def environment(service: Mapping[str, Any]) -> dict[str, str | None]:
    """Return the environment a Compose service is given."""
    return {key: value for key, value in service.get("environment", {}).items()}
