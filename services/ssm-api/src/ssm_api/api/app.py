"""The SSM application factory."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from functools import partial

import httpx
from fastapi import FastAPI
from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service_kit.app import create_service_app, set_readiness_check, token_verifier
from service_kit.client_credentials import ServiceTokenProvider
from service_kit.db import create_engine, migration_gap, reads_only
from service_kit.jwks import KeySource
from ssm_api.adapters.clock import SystemClock
from ssm_api.adapters.register import HttpRegister
from ssm_api.api.errors import install_error_handlers
from ssm_api.api.openapi import customize_openapi
from ssm_api.api.routes import authzen, catalogue, mandates, persons
from ssm_api.config import Settings
from ssm_api.migrate import earlier_revisions, head_revision
from ssm_api.notifications.metrics import mail_metrics
from ssm_api.notifications.wiring import notifier_for, worker_for
from ssm_api.notifications.worker import running
from ssm_api.service.ports import Clock, Register

DESCRIPTION = """\
Self Service Mandates: one citizen gives another a mandate to act for him or her in
one e-service. Citizens create, sign, refuse, withdraw and stop mandates here with a
person token; e-services ask for access decisions with a service token.

Errors are RFC 9457 problem documents. Dates are calendar days in Europe/Brussels.
"""


def create_app(
    settings: Settings | None = None,
    *,
    keys: KeySource | None = None,
    register: Register | None = None,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build SSM; tests may give keys, a register, a clock or an HTTP transport."""
    settings = settings or Settings()
    app = create_service_app(
        settings,
        lifespan=_lifespan,
        title="Self Service Mandates API",
        version="1.0.0",
        description=DESCRIPTION,
    )
    app.state.clock = clock or SystemClock()
    app.state.notifier = notifier_for(settings)
    app.state.mail_metrics = mail_metrics(app.state.metrics_registry)
    app.state.overrides = {"keys": keys, "register": register, "transport": transport}
    install_error_handlers(app)
    app.state.decisions = Counter(
        "authz_decisions",
        "Access decisions, by outcome and reason.",
        ["outcome", "reason"],
        registry=app.state.metrics_registry,
    )
    for module in (catalogue, persons, mandates, authzen):
        app.include_router(module.router)
    customize_openapi(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    overrides = app.state.overrides
    engine = create_engine(settings.database_url)
    client = httpx.AsyncClient(
        transport=overrides["transport"], timeout=settings.register_timeout_seconds
    )
    app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
    app.state.reading_sessions = async_sessionmaker(
        reads_only(engine), expire_on_commit=False
    )
    app.state.token_verifier = token_verifier(settings, client, overrides["keys"])
    app.state.register = overrides["register"] or HttpRegister(
        client, settings.register_url, _register_tokens(settings, client)
    )
    set_readiness_check(
        app, partial(migration_gap, engine, head_revision(), earlier_revisions())
    )
    try:
        async with _mail_worker(app, app.state.sessions):
            yield
    finally:
        await client.aclose()
        await engine.dispose()


def _mail_worker(
    app: FastAPI, sessions: async_sessionmaker[AsyncSession]
) -> AbstractAsyncContextManager[None]:
    settings: Settings = app.state.settings
    if not settings.mail_dispatcher_enabled:
        return nullcontext()
    worker = worker_for(settings, sessions, app.state.clock, app.state.mail_metrics)
    # A send in progress gets this long to be recorded before the worker is cut.
    return running(worker, grace_seconds=settings.smtp_timeout_seconds * 2)


def _register_tokens(
    settings: Settings, client: httpx.AsyncClient
) -> ServiceTokenProvider:
    return ServiceTokenProvider(
        client,
        token_url=settings.token_url,
        client_id=settings.client_id,
        client_secret=settings.client_secret.get_secret_value(),
        scope="register:read",
    )
