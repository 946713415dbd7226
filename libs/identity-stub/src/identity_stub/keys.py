"""The RS256 signing key, its key id and the JWKS that publishes it."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from jwt.utils import base64url_encode

ALGORITHM = "RS256"
KEY_SIZE = 2048


class SigningKeyError(ValueError):
    """The configured signing key cannot be used."""


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """Compute the RFC 7638 SHA-256 thumbprint of an RSA public key."""
    jwk = RSAAlgorithm.to_jwk(public_key, as_dict=True)
    members = {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64url_encode(digest).decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key with the key id that names it in tokens and the JWKS."""

    private_key: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def generate(cls, kid: str | None = None) -> "SigningKey":
        """Make a fresh 2048-bit key pair."""
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
        return cls(private_key, kid or jwk_thumbprint(private_key.public_key()))

    @classmethod
    def from_pem(cls, pem: str, kid: str | None = None) -> "SigningKey":
        """Load an unencrypted PEM private key of at least 2048 bits."""
        try:
            loaded = serialization.load_pem_private_key(pem.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise SigningKeyError(
                "the signing key is not a readable PEM key"
            ) from error
        if not isinstance(loaded, rsa.RSAPrivateKey) or loaded.key_size < KEY_SIZE:
            raise SigningKeyError("the signing key must be RSA of at least 2048 bits")
        return cls(loaded, kid or jwk_thumbprint(loaded.public_key()))

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        """Return the public half, for verifying."""
        return self.private_key.public_key()

    def to_pem(self) -> str:
        """Serialise the private key as unencrypted PKCS#8 PEM."""
        return self.private_key.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        ).decode("ascii")

    def public_jwk(self) -> dict[str, str]:
        """Describe the public key as a JWK for RS256 signatures."""
        jwk = RSAAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {
            "kty": "RSA",
            "n": jwk["n"],
            "e": jwk["e"],
            "kid": self.kid,
            "use": "sig",
            "alg": ALGORITHM,
        }

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """Publish the public key as a JSON Web Key Set."""
        return {"keys": [self.public_jwk()]}

    def sign(
        self,
        claims: Mapping[str, Any],
        *,
        kid: str | None = None,
        algorithm: str = ALGORITHM,
    ) -> str:
        """Sign claims into a compact JWT whose header names the key."""
        headers = {"kid": kid or self.kid, "typ": "JWT"}
        return jwt.encode(dict(claims), self.private_key, algorithm, headers)
