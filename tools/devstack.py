"""Start the whole system on this machine, on SQLite, until Ctrl-C.

The identity stub (8000), SSM (8001), MyHandicap (8002) and a mail sink (1025)
run as child processes on 127.0.0.1; their databases and mail live under var/.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(sys.executable).parent
IDP = "http://127.0.0.1:8000"
SSM = "http://127.0.0.1:8001"
MYHANDICAP = "http://127.0.0.1:8002"

ENVIRONMENT = {
    "IDP_ENVIRONMENT": "development",
    "SSM_ENVIRONMENT": "development",
    "SSM_DATABASE_URL": f"sqlite+aiosqlite:///{VAR / 'ssm.db'}",
    "SSM_SMTP_HOST": "127.0.0.1",
    "SSM_SMTP_PORT": "1025",
    "MYHANDICAP_ENVIRONMENT": "development",
    "MYHANDICAP_DATABASE_URL": f"sqlite+aiosqlite:///{VAR / 'myhandicap.db'}",
}


def main() -> int:
    """Migrate, start every process, seed the demo state, and wait for Ctrl-C."""
    (VAR / "mail").mkdir(parents=True, exist_ok=True)
    env = os.environ | ENVIRONMENT
    for command in (["ssm-api", "migrate"], ["myhandicap-api", "migrate"]):
        subprocess.run([str(BIN / command[0]), *command[1:]], env=env, check=True)

    processes = [
        _start(["identity-stub", "serve", "--port", "8000"], env),
        _start(
            [
                sys.executable,
                str(ROOT / "tools" / "mailsink.py"),
                "--dir",
                str(VAR / "mail"),
            ],
            env,
        ),
        _start(["ssm-api", "serve", "--port", "8001"], env),
        _start(["myhandicap-api", "serve", "--port", "8002"], env),
    ]
    try:
        for url in (IDP, SSM, MYHANDICAP):
            _wait_until_up(url, processes)
        seed = [str(BIN / "myhandicap-api"), "seed-demo", "--idp-url", IDP]
        subprocess.run(seed, env=env, check=True)
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "seed_mandates.py")], check=True
        )
        _announce()
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("a process stopped on its own; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(processes)


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    program = command[0] if command[0] == sys.executable else str(BIN / command[0])
    return subprocess.Popen([program, *command[1:]], env=env, cwd=ROOT)


def _wait_until_up(url: str, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise SystemExit(f"a process exited before {url} came up")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up within 30 s")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()


def _announce() -> None:
    print(
        f"""
The system is up (Ctrl-C stops it all):
  identity stub   {IDP}        (demo people: {IDP}/dev/persons)
  SSM             {SSM}/docs
  MyHandicap      {MYHANDICAP}/docs
  mail sink       smtp://127.0.0.1:1025, messages in var/mail/*.eml

A token for Jane Doe, logged in with itsme:
  curl -s -X POST {IDP}/dev/tokens -H 'Content-Type: application/json' \\
       -d '{{"national_number": "01010112301", "method": "itsme"}}'
Then: curl -H "Authorization: Bearer $TOKEN" {SSM}/v1/mandates/overview
In another terminal, `make demo` plays the manual's scenario.
""",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
