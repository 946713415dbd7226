"""Assembly shared by the services' app factories."""

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

import httpx
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from service_kit.auth import AcrPolicy, TokenVerifier
from service_kit.http import BodyLimitMiddleware, HttpMetrics, RequestContextMiddleware
from service_kit.jwks import JwksCache, KeySource
from service_kit.logs import KeyedHasher, configure_logging
from service_kit.probes import ReadinessCheck, probe_router
from service_kit.problems import install_problem_handlers
from service_kit.settings import ServiceSettings


class Lifespan(Protocol):
    """What FastAPI accepts as a lifespan."""

    def __call__(self, app: FastAPI) -> AbstractAsyncContextManager[None]:
        """Run start-up, yield while serving, then shut down."""
        ...


def create_service_app(
    settings: ServiceSettings,
    *,
    lifespan: Lifespan,
    **fastapi_options: Any,
) -> FastAPI:
    """Create a FastAPI app with logs, problems, probes, metrics and a body limit."""
    configure_logging(settings.effective_log_format, settings.log_level)
    app = FastAPI(lifespan=lifespan, **fastapi_options)
    registry = CollectorRegistry()
    app.state.settings = settings
    app.state.metrics_registry = registry
    app.state.acr_policy = AcrPolicy(
        tuple(settings.oidc_acr_levels), settings.oidc_minimum_acr
    )
    app.state.hasher = KeyedHasher(settings.log_hash_key.get_secret_value().encode())
    install_problem_handlers(app)
    app.include_router(probe_router())
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, metrics=HttpMetrics(registry))
    return app


def set_readiness_check(app: FastAPI, check: ReadinessCheck) -> None:
    """Tell /readyz how to decide whether the service can take traffic."""
    app.state.readiness_check = check


def token_verifier(
    settings: ServiceSettings,
    client: httpx.AsyncClient,
    keys: KeySource | None = None,
) -> TokenVerifier:
    """Build the verifier of bearer tokens, with keys from the provider's JWKS."""
    source = keys or JwksCache(
        client,
        issuer=settings.oidc_issuer,
        jwks_url=settings.oidc_jwks_url,
        max_age=settings.jwks_max_age_seconds,
        cooldown=settings.jwks_refresh_cooldown_seconds,
    )
    return TokenVerifier(
        source,
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        nrn_claim=settings.oidc_nrn_claim,
    )
