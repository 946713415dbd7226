"""Bearer-token checks for the register, which only trusts tokens it issued."""

from typing import Any

import jwt
import structlog

from identity_stub.keys import ALGORITHM, SigningKey
from identity_stub.problems import ProblemError

_CHALLENGE = 'Bearer realm="identity-stub"'
_REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]

log = structlog.get_logger(__name__)


def _unauthorized(detail: str, *, token_sent: bool) -> ProblemError:
    # RFC 6750 section 3: no error code when the request carried no token at all.
    challenge = _CHALLENGE + (', error="invalid_token"' if token_sent else "")
    return ProblemError(
        401, "unauthorized", detail, headers={"WWW-Authenticate": challenge}
    )


def verify_token(
    token: str | None, *, key: SigningKey, issuer: str, audience: str
) -> dict[str, Any]:
    """Check signature, issuer, audience and lifetime; return the claims."""
    if not token:
        log.info("access.denied", reason="no_token")
        raise _unauthorized("A bearer token is required.", token_sent=False)
    try:
        return jwt.decode(
            token,
            key.public_key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError as error:
        log.info("access.denied", reason="invalid_token", error=type(error).__name__)
        raise _unauthorized(
            "The bearer token is not valid here.", token_sent=True
        ) from error


def require_scope(claims: dict[str, Any], scope: str) -> None:
    """Refuse with 403 unless the token's scope claim includes the scope."""
    granted = claims.get("scope")
    if isinstance(granted, str) and scope in granted.split():
        return
    log.info(
        "access.denied", reason="insufficient_scope", client_id=claims.get("client_id")
    )
    challenge = f'{_CHALLENGE}, error="insufficient_scope", scope="{scope}"'
    raise ProblemError(
        403,
        "insufficient-scope",
        f"The token does not grant the {scope} scope.",
        headers={"WWW-Authenticate": challenge},
    )
