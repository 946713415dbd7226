"""The application factory of the development identity provider."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI

from identity_stub.config import Settings, ensure_may_start
from identity_stub.oauth import OAuthError
from identity_stub.openapi import customize_openapi
from identity_stub.problems import install_problem_handlers
from identity_stub.provider import Provider, load_signing_key
from identity_stub.routes import on_oauth_error, router

log = structlog.get_logger(__name__)

DESCRIPTION = (
    "A development identity provider with a fictional national register. "
    "It signs tokens for anyone who asks and must never run in production."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Make the stub's app, with its own key; refuse outside development and test."""
    settings = settings or Settings()
    ensure_may_start(settings)
    provider = Provider(settings, load_signing_key(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log.info(
            "idp.started",
            environment=settings.environment,
            issuer=settings.issuer,
            kid=provider.key.kid,
        )
        yield

    app = FastAPI(
        title="Identity stub",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.provider = provider
    install_problem_handlers(app)
    app.add_exception_handler(OAuthError, on_oauth_error)
    app.include_router(router)
    customize_openapi(app)
    return app
