"""Real SSM processes, and a fake identity provider and register they can talk to.

The fake runs in a thread of the test process: it publishes the JWKS of a
`TokenMinter`, hands out register tokens, and answers person records after a delay
that a test may set, so that a request to SSM can be kept in flight on purpose.
"""

import contextlib
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from identity_stub.register import find
from identity_stub.testing import TokenMinter

BIN = Path(sys.executable).parent
PREFIXES = ("IDP_", "SSM_", "MYHANDICAP_")
STARTUP_SECONDS = 30.0
STOP_SECONDS = 25.0

JANE = "01010112301"  # Gentsteenweg 123, 9000 Gent
JAN = "12121212376"  # Schoolstraat 1, 9000 Gent
JAN_ADDRESS = {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"}

# Secrets of a production configuration: long enough that a fragment of one in a
# log or an error message is recognisable.
PRODUCTION_SECRETS = {
    "SSM_CLIENT_SECRET": "oC3nR8vLq5Wx2Tk9Pz6Hm4Bd",
    "SSM_LOG_HASH_KEY": "oL7wJ2xNc9Qv5Rt3Kz8Mp6Gh",
}


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def base_env() -> dict[str, str]:
    """Return this process's environment without any of the services' settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def fragments(secret: str, length: int = 8) -> set[str]:
    """Return every piece of a secret long enough to give part of it away."""
    return {secret[i : i + length] for i in range(len(secret) - length + 1)}


def leaked(text: str, secrets: list[str]) -> list[str]:
    """Return the secrets of which some recognisable piece occurs in text."""
    return [s for s in secrets if any(piece in text for piece in fragments(s))]


def person_record(nrn: str) -> dict[str, Any] | None:
    """Return the demo register's record of a person, shaped as the contract says."""
    person = find(nrn)
    if person is None:
        return None
    record = asdict(person)
    record["birth_date"] = person.birth_date.isoformat()
    record.pop("locale", None)
    return record


class FakeIdentityProvider:
    """JWKS, token endpoint and national register on a local port, in a thread."""

    def __init__(self) -> None:
        self.register_delay = 0.0
        self.register_asked = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.minter = TokenMinter(issuer=self.url)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeIdentityProvider":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def person_headers(self, nrn: str = JANE) -> dict[str, str]:
        """Return the Authorization header of a person token for someone."""
        return {"Authorization": f"Bearer {self.minter.person_token(nrn)}"}

    def service_headers(self, client_id: str, *scopes: str) -> dict[str, str]:
        """Return the Authorization header of a service token with these scopes."""
        token = self.minter.service_token(client_id, scopes)
        return {"Authorization": f"Bearer {token}"}

    def ssm_env(self) -> dict[str, str]:
        """Return SSM settings that point every outgoing call at this fake."""
        return {
            "SSM_OIDC_ISSUER": self.url,
            "SSM_OIDC_JWKS_URL": f"{self.url}/jwks.json",
            "SSM_REGISTER_URL": f"{self.url}/register",
            "SSM_TOKEN_URL": f"{self.url}/token",
            "SSM_REGISTER_TIMEOUT_SECONDS": "10",
        }


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


def _handler_for(
    fake: FakeIdentityProvider,
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == "/jwks.json":
                self._answer(200, fake.minter.jwks)
                return
            found = re.fullmatch(r"/register/persons/(\d{11})", self.path)
            if found is None:
                self._answer(404, {"title": "Not Found"})
                return
            fake.register_asked.set()
            time.sleep(fake.register_delay)
            record = person_record(found[1])
            self._answer(200 if record else 404, record or {"title": "Not Found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            if self.path != "/token":
                self._answer(404, {"title": "Not Found"})
                return
            token = {
                "access_token": "register-token",
                "token_type": "Bearer",
                "expires_in": 900,
            }
            self._answer(200, token)

        def _answer(self, status: int, body: object) -> None:
            content = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@dataclass
class ServiceProcess:
    """One `serve` process: its URL, and the files its stdout and stderr go to."""

    name: str
    url: str
    popen: "subprocess.Popen[bytes]"
    stdout_path: Path
    stderr_path: Path
    _files: list[IO[bytes]] = field(default_factory=list)

    def stderr_lines(self) -> list[str]:
        """Return every complete line written to stderr so far."""
        text = self.stderr_path.read_text(errors="replace")
        return text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]

    def terminate(self) -> None:
        """Send SIGTERM, as an orchestrator does to stop a container."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)

    def stop(self) -> int:
        """Stop the process (killing it if it hangs), close its files, give status."""
        self.terminate()
        try:
            self.popen.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        for file in self._files:
            file.close()
        self._files.clear()
        return self.popen.returncode


def start_service(
    program: str, env: Mapping[str, str], directory: Path, name: str | None = None
) -> ServiceProcess:
    """Start `<program> serve` on a free port; wait with `wait_until_up`."""
    name = name or program
    port = free_port()
    stdout_path = directory / f"{name}.stdout"
    stderr_path = directory / f"{name}.stderr"
    stdout = stdout_path.open("wb")
    stderr = stderr_path.open("wb")
    try:
        popen = subprocess.Popen(
            [str(BIN / program), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=dict(env),
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    except BaseException:
        stdout.close()
        stderr.close()
        raise
    url = f"http://127.0.0.1:{port}"
    return ServiceProcess(name, url, popen, stdout_path, stderr_path, [stdout, stderr])


def wait_until_up(process: ServiceProcess) -> None:
    """Wait for /healthz to answer 200; fail with the process's output if it won't."""
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx.Client(timeout=1.0) as client:
        while True:
            if process.popen.poll() is not None:
                output = process.stderr_path.read_text(errors="replace")
                process.stop()
                pytest.fail(f"{process.name} exited before it came up:\n{output}")
            if time.monotonic() > deadline:
                process.stop()
                pytest.fail(f"{process.name} did not come up in {STARTUP_SECONDS} s")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{process.url}/healthz").status_code == 200:
                    return
            time.sleep(0.05)


@contextlib.contextmanager
def running_service(
    program: str, env: Mapping[str, str], directory: Path, name: str | None = None
) -> Iterator[ServiceProcess]:
    """Run `<program> serve` while the block runs; it is stopped afterwards."""
    process = start_service(program, env, directory, name)
    try:
        wait_until_up(process)
        yield process
    finally:
        process.stop()


def run_command(
    command: list[str], env: Mapping[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run one of the services' commands to its end and return what it did."""
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        env=dict(env),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=timeout,
    )


def json_lines(lines: list[str]) -> list[dict[str, Any]]:
    """Parse every line as a JSON object; fail naming the first that is not one."""
    events = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            pytest.fail(f"a log line is not JSON: {line!r}")
        assert isinstance(event, dict), line
        events.append(event)
    return events
