"""The identity stub, SSM and MyHandicap as real processes talking HTTP to each other.

The tests in this module run in order: the demo scenario, MyHandicap facing an SSM
that cannot answer, and last a scan of every process's log for national numbers and
bearer tokens (which stops the processes first, so every line is on disk).
"""

import contextlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from identity_stub.register import all_persons

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
JANE_DOE = "01010112301"
JAN_PETERS = "12121212376"
JAN_ADDRESS = {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"}
JAN_NAMES = ("Jan", "Peters")
DEADLINE_SECONDS = 1.0
MARGIN_SECONDS = 1.0
STARTUP_SECONDS = 30.0
PREFIXES = ("IDP_", "SSM_", "MYHANDICAP_")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Process:
    """One started application, its URL and the file its output goes to."""

    name: str
    url: str
    log_path: Path
    popen: subprocess.Popen[bytes]
    log_file: Any

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.log_file.close()


def _start(name: str, program: str, env: dict[str, str], log_dir: Path) -> Process:
    port = _free_port()
    log_path = log_dir / f"{name}.log"
    log_file = log_path.open("wb")
    popen = subprocess.Popen(
        [str(BIN / program), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    return Process(name, f"http://127.0.0.1:{port}", log_path, popen, log_file)


def _wait_until_up(processes: list[Process]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = list(processes)
    with httpx.Client(timeout=1.0) as client:
        while waiting:
            process = waiting[0]
            if process.popen.poll() is not None:
                output = process.log_path.read_text(errors="replace")
                pytest.fail(f"{process.name} exited before it came up:\n{output}")
            if time.monotonic() > deadline:
                pytest.fail(f"{process.name} did not come up in {STARTUP_SECONDS} s")
            try:
                if client.get(f"{process.url}/healthz").status_code == 200:
                    waiting.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            time.sleep(0.1)


def _run(command: list[str], env: dict[str, str], log_dir: Path, name: str) -> None:
    with (log_dir / f"{name}.log").open("wb") as log_file:
        completed = subprocess.run(
            [str(BIN / command[0]), *command[1:]],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
            timeout=60,
        )
    if completed.returncode != 0:
        output = (log_dir / f"{name}.log").read_text(errors="replace")
        pytest.fail(f"{' '.join(command)} failed:\n{output}")


@dataclass
class Stack:
    """The three applications, their logs, and every bearer token handed out."""

    log_dir: Path
    idp: Process
    ssm: Process
    myhandicap: Process
    myhandicap_env: dict[str, str]
    seeded_db: Path
    extra: list[Process] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    stopped: bool = False

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        for process in self.extra:
            process.stop()
        for process in (self.myhandicap, self.ssm, self.idp):
            process.stop()

    def log_paths(self) -> list[Path]:
        return sorted(self.log_dir.glob("*.log"))

    def person(self, national_number: str, method: str) -> "Person":
        response = httpx.post(
            f"{self.idp.url}/dev/tokens",
            json={"national_number": national_number, "method": method},
            timeout=5,
        )
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        self.tokens.append(token)
        return Person(national_number, token)


@dataclass
class Person:
    """A logged-in person calling the services with a bearer token."""

    national_number: str
    token: str

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.request(method, url, headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("e2e")
    log_dir = root / "logs"
    log_dir.mkdir()
    idp_url = f"http://127.0.0.1:{_free_port()}"
    ssm_db, myhandicap_db = root / "ssm.db", root / "myhandicap.db"

    idp_env = _base_env() | {"IDP_ENVIRONMENT": "development", "IDP_ISSUER": idp_url}
    ssm_env = _base_env() | {
        "SSM_ENVIRONMENT": "development",
        "SSM_DATABASE_URL": f"sqlite+aiosqlite:///{ssm_db}",
        "SSM_OIDC_ISSUER": idp_url,
        "SSM_REGISTER_URL": f"{idp_url}/register",
        "SSM_TOKEN_URL": f"{idp_url}/token",
    }
    myhandicap_env = _base_env() | {
        "MYHANDICAP_ENVIRONMENT": "development",
        "MYHANDICAP_DATABASE_URL": f"sqlite+aiosqlite:///{myhandicap_db}",
        "MYHANDICAP_OIDC_ISSUER": idp_url,
        "MYHANDICAP_TOKEN_URL": f"{idp_url}/token",
    }
    _run(["ssm-api", "migrate"], ssm_env, log_dir, "ssm-migrate")
    _run(["myhandicap-api", "migrate"], myhandicap_env, log_dir, "myhandicap-migrate")

    # The stub's port was chosen before it started, so its issuer is its own URL.
    port = idp_url.rsplit(":", 1)[1]
    idp_log_path = log_dir / "identity-stub.log"
    idp_log = idp_log_path.open("wb")
    idp = Process(
        "identity-stub",
        idp_url,
        idp_log_path,
        subprocess.Popen(
            [
                str(BIN / "identity-stub"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                port,
            ],
            env=idp_env,
            stdout=idp_log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        ),
        idp_log,
    )
    ssm = _start("ssm-api", "ssm-api", ssm_env, log_dir)
    started = [idp, ssm]
    try:
        _wait_until_up([idp])
        _run(
            ["myhandicap-api", "seed-demo", "--idp-url", idp_url],
            myhandicap_env,
            log_dir,
            "myhandicap-seed",
        )
        seeded_db = root / "myhandicap-seeded.db"
        shutil.copyfile(myhandicap_db, seeded_db)
        myhandicap_env["MYHANDICAP_SSM_URL"] = ssm.url
        myhandicap = _start("myhandicap-api", "myhandicap-api", myhandicap_env, log_dir)
        started.append(myhandicap)
        _wait_until_up([ssm, myhandicap])
    except BaseException:
        for process in started:
            process.stop()
        raise
    running = Stack(log_dir, idp, ssm, myhandicap, myhandicap_env, seeded_db)
    yield running
    running.stop()


def test_the_demo_scenario(stack: Stack) -> None:
    ssm, myhandicap = stack.ssm.url, stack.myhandicap.url
    jane = stack.person(JANE_DOE, "itsme")
    jan = stack.person(JAN_PETERS, "eid")
    counterparty = {"national_number": JAN_PETERS} | JAN_ADDRESS

    found = jane.call("POST", f"{ssm}/v1/persons/search", json=counterparty)
    assert found.status_code == 200, found.text
    assert (found.json()["first_name"], found.json()["last_name"]) == JAN_NAMES

    created = jane.call(
        "POST",
        f"{ssm}/v1/mandates",
        json={
            "type": "MYHANDICAP",
            "role": "mandatary",
            "counterparty": counterparty,
            "reference": "aanvraag parkeerkaart",
            "language": "nl",
            "accept_conditions": True,
            "counterparty_email": "jan.peters@example.org",
        },
    )
    assert created.status_code == 201, created.text
    mandate = created.json()
    assert mandate["status"] == "pending"
    assert mandate["mandator"]["national_number"] == JAN_PETERS
    assert mandate["mandatary"]["national_number"] == JANE_DOE

    signed = jan.call(
        "POST",
        f"{ssm}/v1/mandates/{mandate['id']}/sign",
        json={"accept_conditions": True},
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "active"

    represented = jane.call("GET", f"{myhandicap}/v1/represented-persons")
    assert represented.status_code == 200, represented.text
    assert [
        (p["national_number"], p["mandate_id"]) for p in represented.json()["items"]
    ] == [(JAN_PETERS, mandate["id"])]

    dossier = jane.call("GET", f"{myhandicap}/v1/dossiers/{JAN_PETERS}")
    assert dossier.status_code == 200, dossier.text
    assert dossier.json()["access"] == {"basis": "mandate", "mandate_id": mandate["id"]}
    assert dossier.json()["person"]["national_number"] == JAN_PETERS

    submitted = jane.call(
        "POST",
        f"{myhandicap}/v1/dossiers/{JAN_PETERS}/applications",
        json={"kind": "parking_card"},
    )
    assert submitted.status_code == 201, submitted.text
    application = submitted.json()
    assert application["basis"] == "mandate"
    assert application["mandate_id"] == mandate["id"]

    own = jan.call("GET", f"{myhandicap}/v1/dossiers/{JAN_PETERS}")
    assert own.status_code == 200, own.text
    assert own.json()["access"]["basis"] == "own"
    mine = [a for a in own.json()["applications"] if a["id"] == application["id"]]
    assert len(mine) == 1
    assert mine[0]["submitted_by"]["national_number"] == JANE_DOE
    assert mine[0]["kind"] == "parking_card"

    log = jan.call("GET", f"{myhandicap}/v1/dossiers/{JAN_PETERS}/access-log")
    assert log.status_code == 200, log.text
    by_jane = {
        (e["action"], e["outcome"], e["basis"], e["mandate_id"])
        for e in log.json()["items"]
        if e["actor"]["national_number"] == JANE_DOE
    }
    assert ("open_dossier", "allowed", "mandate", mandate["id"]) in by_jane
    assert ("submit_application", "allowed", "mandate", mandate["id"]) in by_jane

    refused_log = jane.call("GET", f"{myhandicap}/v1/dossiers/{JAN_PETERS}/access-log")
    assert refused_log.status_code == 403, refused_log.text

    stopped = jane.call(
        "POST",
        f"{ssm}/v1/mandates/{mandate['id']}/stop",
        json={"accept_conditions": True, "reason": "Jan regelt het voortaan zelf"},
    )
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "stopped"

    statuses = [
        jane.call("GET", f"{myhandicap}/v1/dossiers/{JAN_PETERS}").status_code
        for _ in range(21)
    ]
    assert statuses == [403] * 21


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        time.sleep(DEADLINE_SECONDS * 3)
        with contextlib.suppress(OSError):
            self._answer(200, b'{"decision": true}')

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


class _ErrorHandler(_SlowHandler):
    def do_POST(self) -> None:
        self._answer(500, b'{"title": "Internal Server Error"}')


class _GarbageHandler(_SlowHandler):
    def do_POST(self) -> None:
        self._answer(200, b"\x00not json at all {{{")


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        return


@pytest.fixture(scope="module")
def broken_ssms(stack: Stack) -> Iterator[dict[str, Process]]:
    servers: list[_QuietServer] = []
    threads: list[threading.Thread] = []
    urls = {"stopped": f"http://127.0.0.1:{_free_port()}"}
    for mode, handler in (
        ("slow", _SlowHandler),
        ("error", _ErrorHandler),
        ("garbage", _GarbageHandler),
    ):
        server = _QuietServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append(server)
        threads.append(thread)
        urls[mode] = f"http://127.0.0.1:{server.server_address[1]}"

    processes: dict[str, Process] = {}
    try:
        for mode, url in urls.items():
            database = stack.log_dir.parent / f"myhandicap-{mode}.db"
            shutil.copyfile(stack.seeded_db, database)
            env = stack.myhandicap_env | {
                "MYHANDICAP_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
                "MYHANDICAP_SSM_URL": url,
                "MYHANDICAP_SSM_DEADLINE_SECONDS": str(DEADLINE_SECONDS),
            }
            process = _start(
                f"myhandicap-ssm-{mode}", "myhandicap-api", env, stack.log_dir
            )
            processes[mode] = process
            stack.extra.append(process)
        _wait_until_up(list(processes.values()))
        yield processes
    finally:
        for process in processes.values():
            process.stop()
        for server, thread in zip(servers, threads, strict=True):
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


@pytest.mark.parametrize("mode", ["stopped", "slow", "error", "garbage"])
def test_an_unanswering_ssm_means_503_in_time(
    stack: Stack, broken_ssms: dict[str, Process], mode: str
) -> None:
    myhandicap = broken_ssms[mode].url
    jane = stack.person(JANE_DOE, "itsme")

    started = time.monotonic()
    response = jane.call("GET", f"{myhandicap}/v1/dossiers/{JAN_PETERS}")
    elapsed = time.monotonic() - started

    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert elapsed < DEADLINE_SECONDS + MARGIN_SECONDS, f"took {elapsed:.2f} s"
    body = response.json()
    assert body["status"] == 503
    assert "applications" not in body
    assert "person" not in body
    for name in JAN_NAMES:
        assert name not in response.text


def _forms(national_number: str) -> set[str]:
    n = national_number
    return {n, f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"}


def _leaks(stack: Stack, secrets: set[str]) -> list[tuple[str, str]]:
    # Stopping first puts every process's last lines on disk.
    stack.stop()
    paths = stack.log_paths()
    names = {p.name for p in paths}
    assert {"identity-stub.log", "ssm-api.log", "myhandicap-api.log"} <= names
    return [
        (path.name, secret)
        for path in paths
        for secret in sorted(secrets)
        if secret in path.read_text(errors="replace")
    ]


def test_no_log_holds_a_bearer_token(stack: Stack) -> None:
    assert len(stack.tokens) >= 2
    assert _leaks(stack, set(stack.tokens)) == []


def test_no_log_holds_a_national_number(stack: Stack) -> None:
    secrets = {form for p in all_persons() for form in _forms(p.national_number)}
    assert _leaks(stack, secrets) == []
