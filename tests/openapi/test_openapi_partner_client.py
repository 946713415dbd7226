"""A partner's view of SSM: a client generated from the published document, used
against a real SSM process that trusts a real identity stub, both over HTTP.
"""

import importlib
import json
import os
import pkgutil
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from identity_stub.app import create_app as create_identity_stub
from identity_stub.testing import stub_settings
from ssm_api.migrate import upgrade

from .openapi_support import ROOT

SSM_DOCUMENT = ROOT / "openapi" / "ssm-api.json"
BIN = Path(sys.executable).parent
GENERATOR = BIN / "openapi-python-client"
PACKAGE = "ssm_partner_client"
STARTUP_SECONDS = 30.0

JANE = "01010112301"  # Gentsteenweg 123, 9000 Gent
JAN = "12121212376"  # Schoolstraat 1, 9000 Gent
JAN_ADDRESS = {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"}
PARTNER = {"client_id": "partner-demo", "client_secret": "partner-demo-secret"}

pytestmark = pytest.mark.e2e


@pytest.fixture
def client_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ModuleType]:
    """Generate the client as a partner would, offline, and import it."""
    config = tmp_path / "generator.json"
    # No post hooks: the generator would otherwise run a formatter from PATH.
    config.write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}))
    output = tmp_path / "client" / PACKAGE
    command = [
        str(GENERATOR),
        "generate",
        f"--path={SSM_DOCUMENT}",
        f"--output-path={output}",
        f"--config={config}",
        "--meta=none",
        "--fail-on-warning",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"openapi-python-client failed on {SSM_DOCUMENT.name} (exit "
            f"{result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    monkeypatch.syspath_prepend(str(output.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        for name in [m for m in sys.modules if m.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def endpoints(package: ModuleType) -> dict[str, ModuleType]:
    """Index the generated endpoint modules by method and path, not operation id."""
    found = {}
    api = importlib.import_module(f"{package.__name__}.api")
    for info in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):
        module = importlib.import_module(info.name)
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        match = re.search(r'"method": "(\w+)",\s*"url": "([^"]+)"', source)
        if match:
            found[f"{match[1].upper()} {match[2]}"] = module
    return found


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()
    return f"http://{host}:{port}"


@contextmanager
def served_in_thread(app: FastAPI, sock: socket.socket) -> Iterator[None]:
    """Serve an app with uvicorn on a bound socket, in a thread of this process."""
    config = uvicorn.Config(app, log_config=None, ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the identity stub did not start")
            time.sleep(0.02)
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_SECONDS)
        sock.close()


@pytest.fixture
def idp_url() -> Iterator[str]:
    """Serve the identity stub: JWKS, tokens and the register over real HTTP."""
    sock = listening_socket()
    url = url_of(sock)
    app = create_identity_stub(stub_settings(issuer=url))
    with served_in_thread(app, sock):
        yield url


def free_port() -> int:
    with listening_socket() as sock:
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def ssm_url(idp_url: str, tmp_path: Path) -> Iterator[str]:
    """Run SSM as its own process, configured the way an operator would."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'ssm.db'}"
    upgrade(database_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SSM_")}
    env = inherited | {
        "PYTHONUNBUFFERED": "1",
        "SSM_ENVIRONMENT": "test",
        "SSM_DATABASE_URL": database_url,
        "SSM_OIDC_ISSUER": idp_url,
        "SSM_REGISTER_URL": f"{idp_url}/register",
        "SSM_TOKEN_URL": f"{idp_url}/token",
        "SSM_PUBLIC_BASE_URL": url,
        "SSM_MAIL_DISPATCHER_ENABLED": "false",
    }
    command = [
        str(BIN / "ssm-api"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log_path = tmp_path / "ssm.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_until_ready(url, process, log_path)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STARTUP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")
            pytest.fail(f"SSM exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    output = log.read_text(errors="replace")
    pytest.fail(f"SSM was not ready within {STARTUP_SECONDS} s:\n{output}")


def person_token(idp_url: str, national_number: str, method: str) -> str:
    body = {"national_number": national_number, "method": method}
    response = httpx.post(f"{idp_url}/dev/tokens", json=body, timeout=5)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def service_token(idp_url: str) -> str:
    form = {"grant_type": "client_credentials", "scope": "ssm:authorize", **PARTNER}
    response = httpx.post(f"{idp_url}/token", data=form, timeout=5)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def called(response: Any, status: int) -> Any:
    """Return the parsed body of a generated client's answer of the expected status."""
    assert response.status_code == status, response.content.decode()
    return response.parsed


def test_a_partner_client_sees_a_signed_mandate_allow_access(
    client_package: ModuleType, idp_url: str, ssm_url: str
) -> None:
    api = endpoints(client_package)
    models = importlib.import_module(f"{PACKAGE}.models")
    as_person = {
        nrn: client_package.AuthenticatedClient(ssm_url, person_token(idp_url, nrn, m))
        for nrn, m in ((JANE, "itsme"), (JAN, "eid"))
    }
    as_partner = client_package.AuthenticatedClient(ssm_url, service_token(idp_url))
    question = models.EvaluationRequest(
        subject=models.Subject(type_="person", id=JANE),
        action=models.Action(name="MYHANDICAP"),
        resource=models.Resource(type_="person", id=JAN),
    )

    with as_person[JANE] as jane, as_person[JAN] as jan, as_partner as partner:
        mandate = called(
            api["POST /v1/mandates"].sync_detailed(
                client=jane,
                body=models.MandateCreate(
                    type_="MYHANDICAP",
                    role=models.Role.MANDATARY,
                    counterparty=models.PersonSearch(
                        national_number=JAN, **JAN_ADDRESS
                    ),
                    accept_conditions=True,
                ),
            ),
            201,
        )
        signed = called(
            api["POST /v1/mandates/{mandate_id}/sign"].sync_detailed(
                mandate.id, client=jan, body=models.SignRequest(accept_conditions=True)
            ),
            200,
        )
        answer = api["POST /access/v1/evaluation"].sync_detailed(
            client=partner, body=question
        )

    decision = called(answer, 200)
    assert isinstance(mandate, models.MandateRead)
    assert mandate.mandator.last_name == "Peters"
    assert mandate.mandatary.last_name == "Doe"
    assert signed.status == models.Status.ACTIVE
    assert decision.decision is True
    assert decision.context["mandate_id"] == mandate.id
    assert answer.headers["Cache-Control"] == "no-store"
