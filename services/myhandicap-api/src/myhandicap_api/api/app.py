"""The app factory: settings in, a FastAPI app out, with nothing made at import."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from functools import partial

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from myhandicap_api.adapters.ssm_client import SCOPE, SsmClient, TokenSource
from myhandicap_api.api.errors import on_domain_error
from myhandicap_api.api.routes import dossiers, people
from myhandicap_api.config import Settings
from myhandicap_api.domain.errors import MyHandicapError
from myhandicap_api.migrations import earlier_revisions, head_revision
from service_kit.app import create_service_app, set_readiness_check, token_verifier
from service_kit.client_credentials import ServiceTokenProvider
from service_kit.db import create_engine, migration_gap
from service_kit.jwks import KeySource

DESCRIPTION = """\
MyHandicap: a person's dossier with the disability administration, and the
applications for benefits in it. A dossier is opened by its owner, by a
professional of a partner organisation, or by a mandatary with an active
`MYHANDICAP` mandate in Self Service Mandates (SSM). Every opening of and action
on a dossier is recorded in its access log. Errors are RFC 9457 problem details.
"""


@dataclass(frozen=True)
class _Overrides:
    keys: KeySource | None
    transport: httpx.AsyncBaseTransport | None
    tokens: TokenSource | None


def create_app(
    settings: Settings | None = None,
    *,
    keys: KeySource | None = None,
    ssm_transport: httpx.AsyncBaseTransport | None = None,
    token_provider: TokenSource | None = None,
) -> FastAPI:
    """Create the MyHandicap app; the arguments after settings are for tests.

    `keys` replaces the identity provider's JWKS, `ssm_transport` carries every
    outgoing request (SSM, token endpoint, JWKS), and `token_provider` replaces
    the client-credentials token source.
    """
    settings = settings or Settings()
    overrides = _Overrides(keys, ssm_transport, token_provider)
    app = create_service_app(
        settings,
        lifespan=partial(_lifespan, overrides=overrides),
        title="MyHandicap API",
        version="1.0.0",
        description=DESCRIPTION,
    )
    app.add_exception_handler(MyHandicapError, on_domain_error)
    app.include_router(people.router)
    app.include_router(dossiers.router)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI, *, overrides: _Overrides) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with AsyncExitStack() as stack:
        engine = create_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        # One pooled client for every outgoing call: SSM, tokens and keys.
        http = httpx.AsyncClient(
            transport=overrides.transport,
            timeout=httpx.Timeout(10.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        await stack.enter_async_context(http)
        _wire(app, settings, overrides, engine, http)
        yield


def _wire(
    app: FastAPI,
    settings: Settings,
    overrides: _Overrides,
    engine: AsyncEngine,
    http: httpx.AsyncClient,
) -> None:
    tokens = overrides.tokens or ServiceTokenProvider(
        http,
        token_url=settings.token_url,
        client_id=settings.client_id,
        client_secret=settings.client_secret.get_secret_value(),
        scope=SCOPE,
    )
    app.state.session_factory = async_sessionmaker(engine, expire_on_commit=False)
    app.state.ssm_client = SsmClient(
        http,
        base_url=settings.ssm_url,
        tokens=tokens,
        deadline_seconds=settings.ssm_deadline_seconds,
    )
    app.state.token_verifier = token_verifier(settings, http, overrides.keys)
    set_readiness_check(
        app, partial(migration_gap, engine, head_revision(), earlier_revisions())
    )
