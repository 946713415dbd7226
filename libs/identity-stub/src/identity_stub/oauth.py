"""Client authentication and scope grants of the client-credentials flow."""

import base64
import binascii
import hmac
from dataclasses import dataclass
from urllib.parse import unquote_plus

from identity_stub.config import ClientConfig
from identity_stub.schemas import TokenForm

CLIENT_CREDENTIALS = "client_credentials"
_BASIC_CHALLENGE = 'Basic realm="identity-stub"'
# Compared against when the client is unknown, so both failures take as long.
_UNKNOWN_CLIENT_SECRET = b"no client has this secret"


class OAuthError(Exception):
    """A token request refused with an RFC 6749 error code."""

    def __init__(
        self, error: str, description: str, *, status: int = 400, basic: bool = False
    ) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.headers = {"WWW-Authenticate": _BASIC_CHALLENGE} if basic else {}


@dataclass(frozen=True)
class ClientCredentials:
    """The client id and secret a token request authenticates with."""

    client_id: str
    secret: str
    basic: bool


def _from_basic(authorization: str) -> ClientCredentials:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        raise OAuthError("invalid_client", "Use HTTP Basic or form fields.", status=401)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError(
            "invalid_client", "Malformed Basic credentials.", status=401, basic=True
        )
    # RFC 6749 section 2.3.1: both parts are form-encoded before base64.
    return ClientCredentials(unquote_plus(client_id), unquote_plus(secret), basic=True)


def read_credentials(authorization: str | None, form: TokenForm) -> ClientCredentials:
    """Take the client's credentials from the Basic header or the form."""
    if authorization:
        if form.client_secret is not None:
            raise OAuthError("invalid_request", "Use one way to authenticate.")
        credentials = _from_basic(authorization)
        if form.client_id not in (None, credentials.client_id):
            raise OAuthError("invalid_request", "Two different client ids were sent.")
        return credentials
    if form.client_id is None or form.client_secret is None:
        raise OAuthError("invalid_client", "Client authentication failed.", status=401)
    return ClientCredentials(form.client_id, form.client_secret, basic=False)


def authenticate(
    credentials: ClientCredentials, clients: dict[str, ClientConfig]
) -> ClientConfig:
    """Return the client's configuration when its secret matches."""
    client = clients.get(credentials.client_id)
    expected = (
        client.secret.get_secret_value().encode() if client else _UNKNOWN_CLIENT_SECRET
    )
    matches = hmac.compare_digest(credentials.secret.encode(), expected)
    if client is None or not matches:
        raise OAuthError(
            "invalid_client",
            "Client authentication failed.",
            status=401,
            basic=credentials.basic,
        )
    return client


def grant_scopes(requested: str | None, allowed: list[str]) -> list[str]:
    """Grant the requested scopes, or all allowed ones when none are named."""
    asked = list(dict.fromkeys((requested or "").split()))
    if not asked:
        return list(allowed)
    refused = [scope for scope in asked if scope not in allowed]
    if refused:
        raise OAuthError("invalid_scope", "Not granted: " + " ".join(refused) + ".")
    return asked


def check_grant_type(grant_type: str | None) -> None:
    """Accept only the client-credentials grant."""
    if not grant_type:
        raise OAuthError("invalid_request", "The grant_type parameter is missing.")
    if grant_type != CLIENT_CREDENTIALS:
        raise OAuthError(
            "unsupported_grant_type", "Only client_credentials is supported."
        )
