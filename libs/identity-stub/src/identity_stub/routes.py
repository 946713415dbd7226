"""The stub's endpoints: discovery, keys, tokens, and the demo register."""

from http import HTTPStatus
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Form, Header, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from identity_stub import oauth, register
from identity_stub.bearer import require_scope, verify_token
from identity_stub.nrn import is_valid, strip_separators
from identity_stub.problems import PROBLEM_MEDIA_TYPE, ProblemError
from identity_stub.provider import Provider
from identity_stub.schemas import (
    DevTokenCreate,
    OAuthErrorRead,
    PersonRead,
    PersonTokenRead,
    ProblemRead,
    ServiceTokenRead,
    TokenForm,
)
from identity_stub.tokens import DEV_PORTAL_CLIENT_ID

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
REGISTER_SCOPE = "register:read"

log = structlog.get_logger(__name__)
router = APIRouter()
_bearer = HTTPBearer(auto_error=False)


def get_provider(request: Request) -> Provider:
    """Return the provider the app was made with."""
    provider: Provider = request.app.state.provider
    return provider


ProviderDep = Annotated[Provider, Depends(get_provider)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    content = {PROBLEM_MEDIA_TYPE: {"schema": ProblemRead.model_json_schema()}}
    return {
        status: {"description": HTTPStatus(status).phrase, "content": content}
        for status in statuses
    }


async def on_oauth_error(request: Request, error: Exception) -> JSONResponse:
    """Answer a refused token request as RFC 6749 section 5.2 says."""
    assert isinstance(error, oauth.OAuthError)
    log.warning("token.refused", error=error.error)
    body = {"error": error.error, "error_description": error.description}
    return JSONResponse(body, error.status, headers=NO_STORE | error.headers)


@router.get("/healthz", tags=["probes"], summary="Check that the stub is up")
async def healthz() -> dict[str, str]:
    """Report that the process is up."""
    return {"status": "ok"}


@router.get(
    "/.well-known/openid-configuration",
    tags=["discovery"],
    summary="Discover the provider",
)
async def openid_configuration(provider: ProviderDep) -> dict[str, Any]:
    """Describe where the keys and the token endpoint are, and what tokens carry."""
    return provider.discovery()


@router.get("/jwks.json", tags=["discovery"], summary="Publish the signing keys")
async def jwks(provider: ProviderDep) -> dict[str, list[dict[str, str]]]:
    """Publish the public keys that verify every token this provider signs."""
    return provider.key.jwks()


@router.post(
    "/token",
    tags=["tokens"],
    summary="Issue a service token",
    responses={400: {"model": OAuthErrorRead}, 401: {"model": OAuthErrorRead}},
)
async def token(
    form: Annotated[TokenForm, Form()],
    provider: ProviderDep,
    response: Response,
    authorization: Annotated[str | None, Header()] = None,
) -> ServiceTokenRead:
    """Issue a service token to a client (client credentials grant).

    The client authenticates with HTTP Basic or with `client_id` and
    `client_secret` form fields. Without `scope`, every scope the client may
    have is granted.
    """
    oauth.check_grant_type(form.grant_type)
    credentials = oauth.read_credentials(authorization, form)
    client = oauth.authenticate(credentials, provider.settings.clients)
    scopes = oauth.grant_scopes(form.scope, client.scopes)

    access_token = provider.service_token(credentials.client_id, scopes)
    log.info(
        "token.issued",
        client_id=credentials.client_id,
        grant_type=oauth.CLIENT_CREDENTIALS,
        scope=" ".join(scopes),
    )
    response.headers.update(NO_STORE)
    return ServiceTokenRead(
        access_token=access_token,
        expires_in=provider.settings.token_lifetime_seconds,
        scope=" ".join(scopes),
    )


@router.post(
    "/dev/tokens",
    tags=["development"],
    summary="Issue a person token",
    responses=_problems(404, 422),
)
async def dev_token(
    body: DevTokenCreate, provider: ProviderDep, response: Response
) -> PersonTokenRead:
    """Log a person of the demo register in without a real login.

    Only natural persons can log in; anyone else gets 404.
    """
    person = register.find(body.national_number)
    if person is None or not person.natural_person:
        raise ProblemError(
            404, "person-not-found", "No such person in the demo register."
        )

    access_token = provider.person_token(person, body.method)
    log.info("token.issued", client_id=DEV_PORTAL_CLIENT_ID, method=body.method)
    response.headers.update(NO_STORE)
    return PersonTokenRead(
        access_token=access_token, expires_in=provider.settings.token_lifetime_seconds
    )


@router.get("/dev/persons", tags=["development"], summary="List the demo register")
async def dev_persons() -> list[PersonRead]:
    """List every person record of the demo register."""
    return [PersonRead.model_validate(person) for person in register.all_persons()]


@router.get(
    "/register/persons/{nrn}",
    tags=["register"],
    summary="Read a person record",
    responses=_problems(401, 403, 404, 422),
)
async def read_person(
    nrn: str, provider: ProviderDep, credentials: BearerDep
) -> PersonRead:
    """Read one person record, for a service token with `register:read`.

    The token must be a service token of this provider for the register's
    audience: anything else, person tokens included, gets 401. A service token
    for the register without the scope gets 403.
    """
    claims = verify_token(
        credentials.credentials if credentials else None,
        key=provider.key,
        issuer=provider.settings.issuer,
        audience=provider.register_audience,
    )
    require_scope(claims, REGISTER_SCOPE)
    number = strip_separators(nrn)
    if not is_valid(number):
        raise ProblemError(
            422, "invalid-national-number", "This is not a valid national number."
        )

    person = register.find(number)
    log.info("register.read", client_id=claims.get("client_id"), found=bool(person))
    if person is None:
        raise ProblemError(
            404, "person-not-found", "No such person in the demo register."
        )
    return PersonRead.model_validate(person)
