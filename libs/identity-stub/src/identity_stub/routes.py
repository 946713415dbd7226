"""The stub's endpoints: discovery, keys, tokens, and the demo register."""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Form, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from identity_stub import examples, oauth, register
from identity_stub.bearer import require_scope, verify_token
from identity_stub.nrn import is_valid, strip_separators
from identity_stub.problems import (
    INVALID_INPUT_DETAIL,
    PROBLEM_MEDIA_TYPE,
    PROBLEM_TYPE_BASE,
    ProblemError,
    problem_body,
)
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
NOT_IN_REGISTER = "No such person in the demo register."
NOT_A_NATIONAL_NUMBER = "This is not a valid national number."
JAN_RECORD = f"/register/persons/{examples.JAN_NRN}"

log = structlog.get_logger(__name__)
router = APIRouter()
_bearer = HTTPBearer(auto_error=False)


def get_provider(request: Request) -> Provider:
    """Return the provider the app was made with."""
    provider: Provider = request.app.state.provider
    return provider


ProviderDep = Annotated[Provider, Depends(get_provider)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


@dataclass(frozen=True)
class _Problem:
    """A problem an operation answers, shown as the example of its status."""

    status: int
    slug: str
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = None


def _problems(*problems: _Problem) -> dict[int | str, dict[str, Any]]:
    """Describe the problems of an operation, each with its example."""
    responses: dict[int | str, dict[str, Any]] = {}
    for problem in problems:
        body = problem_body(
            problem.status,
            detail=problem.detail,
            instance=problem.instance,
            problem_type=PROBLEM_TYPE_BASE + problem.slug,
            errors=problem.errors,
        )
        example = {"summary": problem.detail, "value": body}
        media_type = {
            "schema": ProblemRead.model_json_schema(),
            "examples": {problem.slug: example},
        }
        responses[problem.status] = {
            "description": HTTPStatus(problem.status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: media_type},
        }
    return responses


def _oauth_error(example: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": OAuthErrorRead,
        "content": {"application/json": {"example": example}},
    }


def _ok(summary: str, value: Any) -> dict[int | str, dict[str, Any]]:
    named = {"example": {"summary": summary, "value": value}}
    return {200: {"content": {"application/json": {"examples": named}}}}


async def on_oauth_error(request: Request, error: Exception) -> JSONResponse:
    """Answer a refused token request as RFC 6749 section 5.2 says."""
    assert isinstance(error, oauth.OAuthError)
    log.warning("token.refused", error=error.error)
    body = {"error": error.error, "error_description": error.description}
    return JSONResponse(body, error.status, headers=NO_STORE | error.headers)


@router.get(
    "/healthz",
    tags=["probes"],
    summary="Check that the stub is up",
    responses=_ok("Up", {"status": "ok"}),
)
async def healthz() -> dict[str, str]:
    """Report that the process is up."""
    return {"status": "ok"}


@router.get(
    "/.well-known/openid-configuration",
    tags=["discovery"],
    summary="Discover the provider",
    responses=_ok("The stub of the local development stack", examples.DISCOVERY),
)
async def openid_configuration(provider: ProviderDep) -> dict[str, Any]:
    """Describe where the keys and the token endpoint are, and what tokens carry."""
    return provider.discovery()


@router.get(
    "/jwks.json",
    tags=["discovery"],
    summary="Publish the signing keys",
    responses=_ok("One RS256 key", examples.JWKS),
)
async def jwks(provider: ProviderDep) -> dict[str, list[dict[str, str]]]:
    """Publish the public keys that verify every token this provider signs."""
    return provider.key.jwks()


@router.post(
    "/token",
    tags=["tokens"],
    summary="Issue a service token",
    responses={
        400: _oauth_error(examples.INVALID_SCOPE),
        401: _oauth_error(examples.INVALID_CLIENT),
        # For a form field that is not text, such as a file.
        **_problems(
            _Problem(
                422,
                "invalid-input",
                INVALID_INPUT_DETAIL,
                "/token",
                [{"field": "grant_type", "message": "Input should be a valid string"}],
            )
        ),
    },
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
    responses=_problems(
        _Problem(404, "person-not-found", NOT_IN_REGISTER, "/dev/tokens"),
        _Problem(
            422,
            "invalid-input",
            INVALID_INPUT_DETAIL,
            "/dev/tokens",
            [
                {
                    "field": "national_number",
                    "message": "Value error, not a valid national register number",
                }
            ],
        ),
    ),
)
async def dev_token(
    body: DevTokenCreate, provider: ProviderDep, response: Response
) -> PersonTokenRead:
    """Log a person of the demo register in without a real login.

    Only natural persons can log in; anyone else gets 404.
    """
    person = register.find(body.national_number)
    if person is None or not person.natural_person:
        raise ProblemError(404, "person-not-found", NOT_IN_REGISTER)

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
    responses=_problems(
        _Problem(401, "unauthorized", "A bearer token is required.", JAN_RECORD),
        _Problem(
            403,
            "insufficient-scope",
            f"The token does not grant the {REGISTER_SCOPE} scope.",
            JAN_RECORD,
        ),
        _Problem(
            404,
            "person-not-found",
            NOT_IN_REGISTER,
            f"/register/persons/{examples.UNKNOWN_NRN}",
        ),
        _Problem(
            422,
            "invalid-national-number",
            NOT_A_NATIONAL_NUMBER,
            f"/register/persons/{examples.MISTYPED_NRN}",
        ),
    ),
)
async def read_person(
    nrn: Annotated[
        str,
        Path(
            description="National number; dots, dashes and spaces are ignored.",
            examples=[examples.JAN_NRN],
        ),
    ],
    provider: ProviderDep,
    credentials: BearerDep,
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
        raise ProblemError(422, "invalid-national-number", NOT_A_NATIONAL_NUMBER)

    person = register.find(number)
    log.info("register.read", client_id=claims.get("client_id"), found=bool(person))
    if person is None:
        raise ProblemError(404, "person-not-found", NOT_IN_REGISTER)
    return PersonRead.model_validate(person)
