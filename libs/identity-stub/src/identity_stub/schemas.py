"""Request and response bodies of the stub's HTTP interface."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from identity_stub import examples, nrn
from identity_stub.tokens import AuthMethod


class DevTokenCreate(BaseModel):
    """Ask for a person token without a real login."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [examples.PERSON_TOKEN_REQUEST]},
    )

    national_number: str
    method: AuthMethod

    @field_validator("national_number")
    @classmethod
    def _valid_nrn(cls, value: str) -> str:
        number = nrn.strip_separators(value)
        if not nrn.is_valid(number):
            raise ValueError("not a valid national register number")
        return number


class TokenForm(BaseModel):
    """The form fields of a token request; all are checked by the endpoint."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [examples.SERVICE_TOKEN_REQUEST]}
    )

    grant_type: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None


class PersonTokenRead(BaseModel):
    """A person token."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PERSON_TOKEN]})

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (a scheme, not a secret)
    expires_in: int


class ServiceTokenRead(PersonTokenRead):
    """A service token with the scopes it grants, space-separated."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.SERVICE_TOKEN]})

    scope: str


class AddressRead(BaseModel):
    """A postal address."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [examples.JANE_ADDRESS]},
    )

    street: str
    house_number: str
    postal_code: str
    municipality: str


class ProfessionalRead(BaseModel):
    """The organisation a professional works for."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [{"organisation": "OCMW Gent"}]},
    )

    organisation: str


class PersonRead(BaseModel):
    """A person record of the demo register."""

    model_config = ConfigDict(from_attributes=True)

    national_number: str
    first_name: str
    last_name: str
    birth_date: date
    address: AddressRead
    natural_person: bool
    professional: ProfessionalRead | None


class OAuthErrorRead(BaseModel):
    """An error of the token endpoint, as RFC 6749 section 5.2 describes it."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.INVALID_CLIENT]})

    error: str
    error_description: str


class ProblemRead(BaseModel):
    """An RFC 9457 problem document; `errors` (field, message) for invalid input."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = None
