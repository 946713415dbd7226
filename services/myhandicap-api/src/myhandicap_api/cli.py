"""The `myhandicap-api` command: serve, migrate, and load demo data."""

import argparse
import asyncio
import signal
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx
import structlog
import uvicorn
from sqlalchemy.ext.asyncio import async_sessionmaker

from myhandicap_api import migrations
from myhandicap_api.config import Settings
from myhandicap_api.seed import fetch_persons, seed_demo
from service_kit.db import create_engine
from service_kit.logs import configure_logging

APP_FACTORY = "myhandicap_api.api.app:create_app"
GRACEFUL_SHUTDOWN_SECONDS = 10

log = structlog.get_logger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command of the MyHandicap service."""
    args = _parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.effective_log_format, settings.log_level)
    command: Callable[[Settings, argparse.Namespace], None] = args.handler
    command(settings, args)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="myhandicap-api", description="MyHandicap: dossiers and applications."
    )
    commands = parser.add_subparsers(required=True, metavar="command")
    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8002)
    serve.set_defaults(handler=_serve)
    migrate = commands.add_parser("migrate", help="upgrade the database to the head")
    migrate.set_defaults(handler=_migrate)
    seed = commands.add_parser("seed-demo", help="load demo dossiers (development)")
    seed.add_argument("--idp-url", help="identity provider (default: OIDC issuer)")
    seed.set_defaults(handler=_seed)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    if settings.seed_demo:
        _migrate(settings, args)
        asyncio.run(_load_demo(settings, settings.oidc_issuer))
    # uvicorn drains requests on SIGTERM, then raises the signal again under the
    # handler it found; a handler that does nothing lets the process exit 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _migrate(settings: Settings, _args: argparse.Namespace) -> None:
    migrations.upgrade(settings.database_url)
    log.info("migrations.applied", revision=migrations.head_revision())


def _seed(settings: Settings, args: argparse.Namespace) -> None:
    asyncio.run(_load_demo(settings, args.idp_url or settings.oidc_issuer))


async def _load_demo(settings: Settings, idp_url: str) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            persons = await fetch_persons(client, idp_url)
        factory = async_sessionmaker(engine, expire_on_commit=False)
        await seed_demo(factory, persons, datetime.now(UTC))
    finally:
        await engine.dispose()
