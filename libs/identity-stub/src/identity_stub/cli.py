"""The `identity-stub` command: serve the development identity provider."""

import argparse
from collections.abc import Sequence

import uvicorn
from pydantic import ValidationError

from identity_stub.config import EnvironmentRefusedError, Settings, ensure_may_start
from identity_stub.logs import configure_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="identity-stub",
        description="Development identity provider. Never for production.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the provider over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def _load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        fields = ", ".join(
            ".".join(str(part) for part in item["loc"]) for item in error.errors()
        )
        raise SystemExit(f"identity-stub: invalid IDP_* settings: {fields}") from None
    try:
        ensure_may_start(settings)
    except EnvironmentRefusedError as error:
        raise SystemExit(str(error)) from None
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    settings = _load_settings()
    configure_logging(json=settings.log_json)
    uvicorn.run(
        "identity_stub.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        # Access lines carry request paths, and register paths carry national
        # numbers, which must stay out of the logs.
        access_log=False,
    )
    return 0
