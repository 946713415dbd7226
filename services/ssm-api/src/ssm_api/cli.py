"""The ssm-api command: serve the API, migrate the database, send the outbox."""

import argparse
import signal
import sys

import uvicorn

from ssm_api.config import Settings
from ssm_api.migrate import upgrade
from ssm_api.notifications import commands as outbox


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand and return its exit status."""
    args = _parser().parse_args(argv)

    if args.command == "migrate":
        upgrade(Settings().database_url)
        return 0
    if args.command == "outbox":
        if args.action == "dispatch":
            return outbox.dispatch(Settings(), once=args.once)
        return outbox.failures(Settings(), sys.stdout)
    # uvicorn drains requests on SIGTERM, then raises the signal again under the
    # handler it found; a handler that does nothing lets the process exit 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(
        "ssm_api.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_config=None,
        # On SIGTERM, requests in flight get this long to finish.
        timeout_graceful_shutdown=20,
        proxy_headers=True,
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssm-api", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    commands.add_parser("migrate", help="bring the database to the latest revision")
    actions = commands.add_parser(
        "outbox", help="send the mail outbox or list what could not be sent"
    ).add_subparsers(dest="action", required=True)
    dispatch = actions.add_parser("dispatch", help="send due mail, until stopped")
    dispatch.add_argument("--once", action="store_true", help="one pass, then exit")
    actions.add_parser(
        "failures", help="list mail given up or being retried, without addresses"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
