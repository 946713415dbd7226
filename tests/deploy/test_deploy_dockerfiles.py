"""The Dockerfiles: hadolint finds nothing, and the images hold to this repository's
rules (built from the lock without development dependencies, run unprivileged).
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .deploy_support import DEPLOY, PORTS, ROOT

HADOLINT = Path(sys.executable).parent / "hadolint"
PACKAGE_DIRS = {
    "identity-stub": "libs/identity-stub",
    "ssm-api": "services/ssm-api",
    "myhandicap-api": "services/myhandicap-api",
}


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
        *("tests/deploy/test_deploy_compose.py", "services/ssm-api/tests/unit/x.py"),
        "libs/service-kit/src/service_kit/__pycache__/app.cpython-311.pyc",
    ]:
        assert _ignored(left_out, patterns), left_out
