"""Bearer tokens: verified against the provider's keys, turned into a principal."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import jwt
import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service_kit.jwks import KeySource, UnknownKeyError
from service_kit.problems import ProblemError

log = structlog.get_logger(__name__)

ALLOWED_ALGORITHMS = ("RS256",)


class InvalidTokenError(Exception):
    """The token is malformed, unsigned, expired or not meant for this service."""


@dataclass(frozen=True)
class Person:
    """A citizen or professional logged in with his or her own means."""

    national_number: str
    given_name: str
    family_name: str
    locale: str | None
    acr: str
    method: str
    roles: frozenset[str] = frozenset()
    organisation: str | None = None

    @property
    def is_professional(self) -> bool:
        """Tell whether the person has general access as a professional."""
        return "professional" in self.roles


@dataclass(frozen=True)
class ServiceClient:
    """Another service, authenticated with the client credentials grant."""

    client_id: str
    scopes: frozenset[str] = field(default_factory=frozenset)


Principal = Person | ServiceClient


class TokenVerifier:
    """Check a JWT's signature, algorithm, issuer, audience and lifetime."""

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        nrn_claim: str = "sub",
        leeway: float = 30.0,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._nrn_claim = nrn_claim
        self._leeway = leeway

    async def verify(self, token: str) -> dict[str, Any]:
        """Return the claims of a valid token, or raise InvalidTokenError."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidTokenError("malformed") from exc
        # The algorithm is pinned: the header may not choose "none" or HMAC.
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise InvalidTokenError("algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidTokenError("kid")
        try:
            key = await self._keys.key_for(kid)
        except UnknownKeyError as exc:
            raise InvalidTokenError("unknown_key") from exc
        try:
            return jwt.decode(
                token,
                key.key,
                algorithms=list(ALLOWED_ALGORITHMS),
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(type(exc).__name__) from exc

    def principal(self, claims: dict[str, Any]) -> Principal:
        """Tell a service's token from a person's and read its claims."""
        subject = str(claims["sub"])
        if claims.get("client_id") == subject:
            scopes = frozenset(str(claims.get("scope", "")).split())
            return ServiceClient(client_id=subject, scopes=scopes)
        amr = claims.get("amr") or ["unknown"]
        return Person(
            national_number=str(claims.get(self._nrn_claim, "")),
            given_name=str(claims.get("given_name", "")),
            family_name=str(claims.get("family_name", "")),
            locale=claims.get("locale"),
            acr=str(claims.get("acr", "")),
            method=str(amr[0]),
            roles=frozenset(claims.get("roles") or ()),
            organisation=claims.get("organisation"),
        )


def unauthorized(detail: str) -> ProblemError:
    """Build the 401 answer that asks the caller for a valid bearer token."""
    return ProblemError(
        401,
        "unauthorized",
        detail,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def forbidden(detail: str) -> ProblemError:
    """Build the 403 answer for a caller without the needed right."""
    return ProblemError(403, "forbidden", detail)


def missing_scope(scope: str) -> ProblemError:
    """Build the 403 answer for a caller without a service token of the scope."""
    return forbidden(f"A service token with scope {scope} is required.")


_bearer = HTTPBearer(auto_error=False, description="JWT from the identity provider")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Authenticate the request's bearer token."""
    if credentials is None:
        raise ProblemError(
            401,
            "unauthorized",
            "A bearer token is required.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        claims = await verifier.verify(credentials.credentials)
    except InvalidTokenError as exc:
        log.warning("auth.token_rejected", reason=str(exc))
        raise unauthorized("The bearer token is not valid.") from exc
    except httpx.HTTPError as exc:
        log.error("auth.jwks_unavailable", error_type=type(exc).__name__)
        raise ProblemError(
            503, "identity-provider-unavailable", "Tokens cannot be checked now."
        ) from exc
    return verifier.principal(claims)


@dataclass(frozen=True)
class AcrPolicy:
    """The weakest level of assurance a person may log in with, among ordered levels."""

    levels: tuple[str, ...]
    minimum: str

    def admits(self, acr: str) -> bool:
        """Tell whether a login at this level is strong enough."""
        if acr not in self.levels:
            return False
        return self.levels.index(acr) >= self.levels.index(self.minimum)


async def current_person(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> Person:
    """Admit a person logged in strongly enough; refuse services."""
    if not isinstance(principal, Person):
        raise forbidden("This operation is for persons, not services.")
    policy: AcrPolicy = request.app.state.acr_policy
    if not policy.admits(principal.acr):
        log.warning("auth.acr_too_low")
        raise forbidden("Log in with eID or itsme for this operation.")
    return principal


def scope_dependency(scope: str) -> Callable[[Principal], Awaitable[ServiceClient]]:
    """Build a dependency that admits services granted the given scope."""

    async def require_scope(
        principal: Annotated[Principal, Depends(current_principal)],
    ) -> ServiceClient:
        if not isinstance(principal, ServiceClient) or scope not in principal.scopes:
            raise missing_scope(scope)
        return principal

    return require_scope
