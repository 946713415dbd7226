"""The ssm-api command: serve the API, migrate the database."""

import argparse
import sys

import uvicorn

from ssm_api.config import Settings
from ssm_api.migrate import upgrade


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand and return its exit status."""
    parser = argparse.ArgumentParser(prog="ssm-api", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    commands.add_parser("migrate", help="bring the database to the latest revision")
    args = parser.parse_args(argv)

    if args.command == "migrate":
        upgrade(Settings().database_url)
        return 0
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


if __name__ == "__main__":
    sys.exit(main())
