import jwt
from jwt.algorithms import RSAAlgorithm

from identity_stub import examples
from identity_stub.keys import SigningKey, jwk_thumbprint
from identity_stub.provider import Provider
from identity_stub.testing import stub_settings


def test_the_example_key_is_named_as_the_stub_names_its_own() -> None:
    public_key = RSAAlgorithm.from_jwk(examples.JWK)

    assert jwk_thumbprint(public_key) == examples.KID  # type: ignore[arg-type]


def test_the_example_tokens_carry_what_the_stub_signs() -> None:
    person = examples.PERSON_TOKEN["access_token"]
    service = examples.SERVICE_TOKEN["access_token"]
    assert isinstance(person, str)
    assert isinstance(service, str)
    unverified = {"verify_signature": False}

    person_claims = jwt.decode(person, options=unverified)
    service_claims = jwt.decode(service, options=unverified)

    assert jwt.get_unverified_header(person)["kid"] == examples.KID
    assert person_claims["sub"] == examples.JANE_NRN
    assert person_claims["amr"] == ["itsme"]
    assert person_claims["exp"] - person_claims["iat"] == examples.LIFETIME
    assert service_claims["sub"] == service_claims["client_id"] == "partner-demo"
    assert service_claims["aud"] == ["ssm-api"]
    assert service_claims["scope"] == examples.SERVICE_TOKEN["scope"]


def test_the_example_discovery_is_the_local_stub_s() -> None:
    provider = Provider(stub_settings(issuer=examples.ISSUER), SigningKey.generate())

    assert provider.discovery() == examples.DISCOVERY
