"""Assembly shared by the services' app factories."""

import copy
from collections import Counter
from contextlib import AbstractAsyncContextManager
from types import GenericAlias
from typing import Any, Protocol, cast

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from prometheus_client import CollectorRegistry
from pydantic import TypeAdapter

from service_kit.auth import AcrPolicy, TokenVerifier
from service_kit.http import BodyLimitMiddleware, HttpMetrics, RequestContextMiddleware
from service_kit.jwks import JwksCache, KeySource
from service_kit.logs import KeyedHasher, configure_logging
from service_kit.probes import ReadinessCheck, probe_router
from service_kit.problems import document_problems, install_problem_handlers
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
    """Create a FastAPI app with logs, problems, probes, metrics and a body limit.

    Its OpenAPI document names each operation after its route function and
    documents every error response as a problem.
    """
    configure_logging(settings.effective_log_format, settings.log_level)
    app = FastAPI(
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        **fastapi_options,
    )
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
    _document_errors_as_problems(app)
    return app


_REF_TEMPLATE = "#/components/schemas/{model}"


def operation_id(route: APIRoute) -> str:
    """Name an operation after its route function, as generated clients call it."""
    return route.name


def _document_errors_as_problems(app: FastAPI) -> None:
    # Wrapped once here; an app may wrap it again to add to the finished document.
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            # FastAPI keeps what it generated; only a finished document may stay.
            app.openapi_schema = None
            _check_unique_operation_ids(document)
            _restore_schema_examples(app, document)
            app.openapi_schema = document_problems(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented hook


def _restore_schema_examples(app: FastAPI, document: dict[str, Any]) -> None:
    """Give the component schemas back the examples of their models, nulls and all.

    FastAPI drops every null from the examples it documents, which leaves an
    example of a required but nullable field invalid. Examples that operations
    carry themselves have the same fate: add those to the finished document.
    """
    schemas = document.get("components", {}).get("schemas", {})
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        responses = route.response_fields.values()
        for field in (route.body_field, route.response_field, *responses):
            if field is None:
                continue
            # In a list, every model, the outer one too, becomes a definition.
            listed = GenericAlias(list, (field.field_info.annotation,))
            adapter = TypeAdapter[Any](cast(Any, listed))
            schema = adapter.json_schema(ref_template=_REF_TEMPLATE, mode=field.mode)
            for name, definition in schema.get("$defs", {}).items():
                if name in schemas and "examples" in definition:
                    schemas[name]["examples"] = copy.deepcopy(definition["examples"])


def _check_unique_operation_ids(document: dict[str, Any]) -> None:
    counts = Counter(
        operation["operationId"]
        for item in document.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    )
    duplicates = sorted(name for name, count in counts.items() if count > 1)
    if duplicates:
        raise RuntimeError(f"operation ids used more than once: {duplicates}")


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
