"""Offline checks of deploy/: nothing here builds, starts or applies anything.

Compose is checked against the Compose Specification schema, the manifests against
the Kubernetes schemas that kubernetes-validate bundles, the Dockerfiles by hadolint;
the rest are the rules this repository holds its deployment to.
"""

import copy
import importlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema
from kubernetes_validate.utils import all_versions
from pydantic_settings import BaseSettings, SettingsConfigDict

from identity_stub.config import Settings as IdentitySettings
from identity_stub.config import ensure_may_start
from service_kit.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
HADOLINT = Path(sys.executable).parent / "hadolint"
OLDEST_KUBERNETES = (1, 31)
NAMESPACE = "mandates"

PORTS = {"identity-stub": 8000, "ssm-api": 8001, "myhandicap-api": 8002}
PACKAGE_DIRS = {
    "identity-stub": "libs/identity-stub",
    "ssm-api": "services/ssm-api",
    "myhandicap-api": "services/myhandicap-api",
}
SERVICES = {"ssm-api": "SSM_", "myhandicap-api": "MYHANDICAP_"}
SECRETS = {"DATABASE_URL", "LOG_HASH_KEY", "CLIENT_SECRET"}
SERVICE_SETTINGS = {
    "ssm-api": {
        *SECRETS,
        *("ENVIRONMENT", "OIDC_ISSUER", "OIDC_JWKS_URL", "OIDC_AUDIENCE"),
        *("REGISTER_URL", "TOKEN_URL", "CLIENT_ID"),
        *("SMTP_HOST", "SMTP_PORT", "MAIL_FROM", "PUBLIC_BASE_URL"),
    },
    "myhandicap-api": {
        *SECRETS,
        *("ENVIRONMENT", "OIDC_ISSUER", "OIDC_JWKS_URL", "OIDC_AUDIENCE"),
        *("SSM_URL", "SSM_PORTAL_URL", "TOKEN_URL", "CLIENT_ID"),
    },
}
COMPOSE_SERVICES = {
    *("postgres", "identity-stub", "mailpit"),
    *("ssm-migrate", "ssm-api", "myhandicap-migrate", "myhandicap-api"),
}
MIGRATIONS = {"ssm-api": "ssm-migrate", "myhandicap-api": "myhandicap-migrate"}


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the deployment checks must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- Compose --------------------------------------------------------------------

_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>\w+)"
)


def _interpolate(value: Any, env: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: _interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item, env) for item in value]
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

    return _VARIABLE.sub(substitute, value)


def _env_example() -> dict[str, str]:
    lines = (DEPLOY / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^\w+=", line))
    return {name: value for name, value in pairs}


def _compose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    raw = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return dict(_interpolate(raw, env or {}))


def _environment(service: Mapping[str, Any]) -> dict[str, str | None]:
    return {key: value for key, value in service.get("environment", {}).items()}


def test_compose_matches_the_compose_specification() -> None:
    schema = get_builtin_schema("vendor.compose-spec")
    validator = jsonschema.validators.validator_for(schema)(schema)

    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(_compose())
    ]

    assert errors == []


def test_compose_runs_the_whole_system() -> None:
    services = _compose()["services"]

    assert set(services) == COMPOSE_SERVICES
    assert services["postgres"]["image"].startswith("postgres:16.")
    assert services["mailpit"]["image"].startswith("axllent/mailpit:v")


def test_compose_services_wait_for_their_database_and_migrations() -> None:
    services = _compose()["services"]

    for app, migration in MIGRATIONS.items():
        needs = services[app]["depends_on"]
        assert needs["postgres"]["condition"] == "service_healthy"
        assert needs[migration]["condition"] == "service_completed_successfully"
        assert needs["identity-stub"]["condition"] == "service_healthy"
        job = services[migration]
        assert job["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert job["command"] == ["migrate"]
        assert job["restart"] == "no"
        assert job["image"] == services[app]["image"]
        assert job["environment"] == services[app]["environment"]
    assert services["ssm-api"]["depends_on"]["mailpit"]["condition"] == (
        "service_healthy"
    )


def test_every_long_running_compose_service_has_a_healthcheck() -> None:
    services = _compose()["services"]
    long_running = COMPOSE_SERVICES - set(MIGRATIONS.values())

    for name in long_running:
        check = services[name]["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert not check.get("disable", False), name
    for name in SERVICES:
        command = " ".join(services[name]["healthcheck"]["test"])
        assert f"127.0.0.1:{PORTS[name]}/readyz" in command
    for name, service in services.items():
        for target, need in service.get("depends_on", {}).items():
            if need["condition"] == "service_healthy":
                assert target in long_running, f"{name} waits on {target}"


def test_compose_variables_all_have_defaults_listed_in_env_example() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    example = _env_example()

    found = _VARIABLE.finditer(text)
    references = {match["name"]: match for match in found if match["name"]}

    assert references
    for name, match in references.items():
        assert match["op"] == ":-", f"{name} has no default"
        assert example.get(name) == match["arg"], f"{name} differs in .env.example"
    assert _compose() == _compose(example)


def test_compose_gives_each_service_exactly_its_settings() -> None:
    services = _compose()["services"]
    postgres = _environment(services["postgres"])

    for name, prefix in SERVICES.items():
        env = _environment(services[name])
        database = name.removesuffix("-api")
        assert set(env) == {prefix + key for key in SERVICE_SETTINGS[name]}
        assert env[f"{prefix}ENVIRONMENT"] == "production"
        assert env[f"{prefix}OIDC_AUDIENCE"] == name
        assert env[f"{prefix}OIDC_ISSUER"] == "http://identity-stub:8000"
        password = postgres[f"{database.upper()}_DB_PASSWORD"]
        assert env[f"{prefix}DATABASE_URL"] == (
            f"postgresql+psycopg://{database}:{password}@postgres:5432/{database}"
        )


def test_postgres_init_script_creates_a_database_per_service() -> None:
    script = DEPLOY / "compose" / "postgres-init.sh"
    mounts = _compose()["services"]["postgres"]["volumes"]
    text = script.read_text()

    subprocess.run(["sh", "-n", str(script)], check=True)

    assert any(
        m.startswith("./compose/postgres-init.sh:/docker-entrypoint-initdb.d/")
        for m in mounts
    )
    assert os.access(script, os.X_OK)
    for database in ("ssm", "myhandicap"):
        assert f"CREATE DATABASE {database} OWNER {database};" in text


def _use_environment(
    monkeypatch: pytest.MonkeyPatch, prefix: str, env: Mapping[str, str | None]
) -> None:
    for name in os.environ:
        if name.startswith(prefix):
            monkeypatch.delenv(name)
    for name, value in env.items():
        if value is not None:
            monkeypatch.setenv(name, value)


def test_identity_stub_accepts_its_compose_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = _compose()["services"]
    _use_environment(monkeypatch, "IDP_", _environment(services["identity-stub"]))

    settings = IdentitySettings()

    ensure_may_start(settings)
    for name, prefix in SERVICES.items():
        env = _environment(services[name])
        client = settings.clients[name]
        assert settings.issuer == env[f"{prefix}OIDC_ISSUER"]
        assert env[f"{prefix}CLIENT_ID"] == name
        assert client.secret.get_secret_value() == env[f"{prefix}CLIENT_SECRET"]


def _settings_class(name: str, prefix: str) -> type[BaseSettings]:
    """Return the service's own settings, or the shared ones until it has its own."""
    module = f"{name.replace('-', '_')}.config"
    try:
        own: type[BaseSettings] = importlib.import_module(module).Settings
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
    else:
        return own

    class Shared(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix=prefix, extra="ignore")

    return Shared


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_services_accept_their_compose_settings_in_production(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    prefix = SERVICES[name]
    _use_environment(monkeypatch, prefix, _environment(_compose()["services"][name]))

    settings = _settings_class(name, prefix)()

    assert getattr(settings, "environment", None) == "production"


# --- Dockerfiles ----------------------------------------------------------------


def _instructions(path: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        found.append((keyword.upper(), arguments.strip()))
        pending = ""
    return found


def _stages(path: Path) -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in _instructions(path):
        if keyword == "FROM":
            stages.append([])
        stages[-1].append((keyword, arguments))
    return stages


def _dockerfile(app: str) -> Path:
    return DEPLOY / "docker" / f"{app}.Dockerfile"


def test_there_is_one_dockerfile_per_application() -> None:
    names = {path.name for path in (DEPLOY / "docker").glob("*.Dockerfile")}

    assert names == {f"{app}.Dockerfile" for app in PORTS}


@pytest.mark.parametrize("app", sorted(PORTS))
def test_hadolint_finds_nothing(app: str, tmp_path: Path) -> None:
    # A clean HOME and working directory, so that no local hadolint configuration
    # can silence a rule.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    command = [str(HADOLINT), "--no-color", "--failure-threshold", "info"]

    result = subprocess.run(
        [*command, "--format", "json", str(_dockerfile(app))],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )

    assert json.loads(result.stdout or "[]") == [], result.stdout
    assert result.returncode == 0, result.stderr


def _words(instructions: list[tuple[str, str]], keyword: str) -> list[str]:
    return [
        word
        for key, args in instructions
        if key == keyword
        for word in shlex.split(args)
    ]


@pytest.mark.parametrize("app", sorted(PORTS))
def test_dockerfile_builds_from_the_lock_without_dev_dependencies(app: str) -> None:
    builder, runtime = _stages(_dockerfile(app))
    makefile = (ROOT / "Makefile").read_text()
    uv_version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)
    runs = [args for key, args in builder if key == "RUN"]
    syncs = [args for args in runs if "uv sync" in args]

    bases = [builder[0][1].split()[0], runtime[0][1].split()[0]]
    assert bases[0] == bases[1], "the venv points at the builder's interpreter"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", bases[0])
    assert uv_version is not None
    assert f'pip install --no-cache-dir "uv=={uv_version[1]}"' in runs[0]
    assert len(syncs) == 2
    assert all("--frozen" in sync and "--no-dev" in sync for sync in syncs)
    assert syncs[-1].endswith(f"--no-editable --package {app}")
    assert not re.search(r"--(all-groups|all-packages|group|dev)\b", " ".join(syncs))


@pytest.mark.parametrize("app", sorted(PORTS))
def test_dockerfile_runtime_holds_the_venv_and_runs_unprivileged(app: str) -> None:
    runtime = _stages(_dockerfile(app))[-1]
    port = PORTS[app]
    package = tomllib.loads((ROOT / PACKAGE_DIRS[app] / "pyproject.toml").read_text())
    last = dict(runtime)

    copies = [args for key, args in runtime if key in {"COPY", "ADD"}]
    assert copies == ["--from=builder /opt/venv /opt/venv"]
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", last["USER"])
    assert {"PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"} <= set(
        _words(runtime, "ENV")
    )
    assert last["EXPOSE"] == str(port)
    check = f"urllib.request.urlopen('http://127.0.0.1:{port}/healthz'"
    assert check in last["HEALTHCHECK"]
    assert json.loads(last["ENTRYPOINT"]) == [app]
    assert app in package["project"]["scripts"]
    assert json.loads(last["CMD"]) == [
        *("serve", "--host", "0.0.0.0", "--port", str(port))
    ]


def _workspace_members() -> list[str]:
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = root["tool"]["uv"]["workspace"]["members"]
    found = (path.parent for p in patterns for path in ROOT.glob(f"{p}/pyproject.toml"))
    return sorted(str(path.relative_to(ROOT)) for path in found)


@pytest.mark.parametrize("app", sorted(PORTS))
def test_dockerfile_copies_every_workspace_manifest(app: str) -> None:
    builder = _stages(_dockerfile(app))[0]

    copied = {args.split()[0] for key, args in builder if key == "COPY"}

    assert {f"{member}/pyproject.toml" for member in _workspace_members()} <= copied


def _ignore_pattern(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*/|\*\*|\*|\?|\[[^]]*\])", pattern.strip("/"))
    special = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile(
        "".join(
            special.get(part, part if part.startswith("[") else re.escape(part))
            for part in parts
        )
    )


def _ignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    prefixes = ["/".join(path.split("/")[:n]) for n in range(1, path.count("/") + 2)]
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = _ignore_pattern(pattern.removeprefix("!"))
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


def test_dockerignore_sends_the_sources_and_nothing_else() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip()[:1] not in {"", "#"}]
    sources = [
        str(path.relative_to(ROOT))
        for member in _workspace_members()
        for path in (ROOT / member / "src").rglob("*.py")
    ]

    for kept in ["pyproject.toml", "uv.lock", *sources]:
        assert not _ignored(kept, patterns), kept
    for left_out in [
        *(".git/HEAD", ".venv/bin/python", ".tools/bin/uv", "var/ssm.db"),
        *(".mypy_cache/x", ".ruff_cache/x", ".pytest_cache/x", ".env", "deploy/.env"),
        *("tests/deploy/test_deploy_offline.py", "services/ssm-api/tests/unit/x.py"),
        "libs/service-kit/src/service_kit/__pycache__/app.cpython-311.pyc",
    ]:
        assert _ignored(left_out, patterns), left_out


# --- Kubernetes -----------------------------------------------------------------


def _manifests() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            for document in yaml.safe_load_all(path.read_text()):
                if document:
                    yield path.name, document


def _objects(kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for _, o in _manifests() if o["kind"] == kind}


def _kubernetes_versions() -> list[str]:
    versions = {".".join(v.split(".")[:2]) for v in all_versions()}
    newer = [v for v in versions if tuple(map(int, v.split("."))) >= OLDEST_KUBERNETES]
    return sorted(newer, key=lambda v: tuple(map(int, v.split("."))))


@pytest.mark.parametrize("version", _kubernetes_versions())
def test_manifests_match_the_kubernetes_schemas(version: str) -> None:
    failures = []

    for name, document in _manifests():
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(map(str, error.path))
            failures.append(f"{name} {document['kind']} {path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            failures.append(f"{name}: {error.message}")

    assert failures == []


def test_strict_validation_catches_a_misspelt_field() -> None:
    deployment = copy.deepcopy(_objects("Deployment")["ssm-api"])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, _kubernetes_versions()[-1], True)


def test_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    manifests = {path.name for path in K8S.glob("*.yaml")}

    assert kustomization["namespace"] == NAMESPACE
    assert set(kustomization["resources"]) == manifests - {
        "kustomization.yaml",
        "secrets.example.yaml",
    }


def test_everything_lives_in_a_restricted_namespace() -> None:
    namespace = _objects("Namespace")[NAMESPACE]

    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    for name, document in _manifests():
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == NAMESPACE, name


def _pods() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in _objects("CronJob").items():
        yield name, job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    for kind in ("Deployment", "Job"):
        for name, workload in _objects(kind).items():
            yield name, workload["spec"]["template"]["spec"]


def test_every_pod_runs_unprivileged_within_limits() -> None:
    images = {f"registry.example.org/mandates/{name}" for name in SERVICES}

    for name, pod in _pods():
        assert pod["automountServiceAccountToken"] is False, name
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True, name
        assert context["runAsUser"] > 0, name
        assert context["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in pod["containers"]:
            image, _, tag = container["image"].rpartition(":")
            assert image in images, name
            assert re.fullmatch(r"\d+\.\d+\.\d+", tag), name
            own = container["securityContext"]
            assert own["allowPrivilegeEscalation"] is False, name
            assert own["readOnlyRootFilesystem"] is True, name
            assert own["capabilities"]["drop"] == ["ALL"], name
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, name


def test_deployments_probe_drain_and_roll_without_loss() -> None:
    for name, deployment in _objects("Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        (port,) = container["ports"]

        assert port["containerPort"] == PORTS[name]
        assert container["args"][-1] == str(PORTS[name])
        assert container["readinessProbe"]["httpGet"] == {
            "path": "/readyz",
            "port": port["name"],
        }
        for probe in ("livenessProbe", "startupProbe"):
            assert container[probe]["httpGet"] == {
                "path": "/healthz",
                "port": port["name"],
            }
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert 0 < pause < pod["terminationGracePeriodSeconds"] - 10
        rolling = deployment["spec"]["strategy"]["rollingUpdate"]
        assert rolling["maxUnavailable"] == 0


def test_each_deployment_has_a_service_an_autoscaler_and_a_disruption_budget() -> None:
    services = _objects("Service")
    autoscalers = _objects("HorizontalPodAutoscaler")
    budgets = _objects("PodDisruptionBudget")

    assert set(_objects("Deployment")) == set(SERVICES)
    for name, deployment in _objects("Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items()
        assert services[name]["spec"]["selector"] == selector
        assert services[name]["spec"]["ports"][0]["targetPort"] == "http"
        scaler = autoscalers[name]
        assert scaler["apiVersion"] == "autoscaling/v2"
        assert scaler["spec"]["scaleTargetRef"]["name"] == name
        assert 2 <= scaler["spec"]["minReplicas"] < scaler["spec"]["maxReplicas"]
        assert budgets[name]["apiVersion"] == "policy/v1"
        assert budgets[name]["spec"]["selector"]["matchLabels"] == selector


def _container(pod: Mapping[str, Any]) -> dict[str, Any]:
    (container,) = pod["containers"]
    return dict(container)


def test_migrations_and_the_dispatcher_run_from_the_service_images() -> None:
    deployments = {n: _container(p) for n, p in _pods() if n in SERVICES}
    jobs = _objects("Job")
    (dispatcher,) = _objects("CronJob").values()
    dispatch = _container(dispatcher["spec"]["jobTemplate"]["spec"]["template"]["spec"])

    for name, api in deployments.items():
        job = jobs[f"{name}-migrate"]
        migrate = _container(job["spec"]["template"]["spec"])
        assert migrate["args"] == ["migrate"]
        assert (migrate["image"], migrate["envFrom"]) == (api["image"], api["envFrom"])
        hooks = job["metadata"]["annotations"]
        assert hooks["argocd.argoproj.io/hook"] == "Sync"
        assert int(hooks["argocd.argoproj.io/sync-wave"]) < int(
            _objects("Deployment")[name]["metadata"]["annotations"][
                "argocd.argoproj.io/sync-wave"
            ]
        )
    assert dispatch["args"] == ["outbox", "dispatch"]
    assert dispatch["image"] == deployments["ssm-api"]["image"]
    assert dispatcher["spec"]["concurrencyPolicy"] == "Forbid"


def test_the_identity_stub_is_not_deployed() -> None:
    text = "\n".join(path.read_text() for path in K8S.glob("*.yaml"))

    assert "identity-stub" not in text
    assert "IDP_" not in text


def test_kubernetes_settings_match_the_compose_ones() -> None:
    config_maps = _objects("ConfigMap")
    secrets = _objects("Secret")
    compose = _compose()["services"]

    for name, prefix in SERVICES.items():
        plain = config_maps[f"{name}-config"]["data"]
        secret = secrets[f"{name}-secrets"]["stringData"]
        assert set(plain) | set(secret) == set(_environment(compose[name]))
        assert set(secret) == {prefix + key for key in SECRETS}
        assert all("REPLACE-ME" in value for value in secret.values())
        assert plain[f"{prefix}ENVIRONMENT"] == "production"
        assert plain[f"{prefix}OIDC_AUDIENCE"] == name
        for pod_name, pod in _pods():
            if pod_name.startswith(name.removesuffix("-api")):
                refs = _container(pod)["envFrom"]
                assert refs == [
                    {"configMapRef": {"name": f"{name}-config"}},
                    {"secretRef": {"name": f"{name}-secrets"}},
                ]


def test_readme_refers_only_to_files_that_exist() -> None:
    readme = (DEPLOY / "README.md").read_text()
    ignored = (DEPLOY / ".gitignore").read_text().splitlines()
    made_locally = {f"deploy{line}" for line in ignored if line.startswith("/")}

    mentioned = set(re.findall(r"(?<![\w/])deploy/[\w./-]*\w", readme))

    assert mentioned
    missing = [
        p for p in mentioned if not (ROOT / p).exists() and p not in made_locally
    ]
    assert missing == []
