"""Request and response bodies of the SSM API, as integrators see them."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ssm_api.api import examples as ex
from ssm_api.domain.mandate import EventKind, Role, Status
from ssm_api.domain.types import Language, PartyKind
from ssm_api.domain.views import View

NationalNumberText = Annotated[
    str,
    Field(
        min_length=11,
        max_length=20,
        description="11 digits; dots, dashes and spaces are ignored.",
        examples=["12.12.12-123.76"],
    ),
]
Reason = Annotated[str | None, Field(default=None, max_length=500)]


class Strict(BaseModel):
    """A request body that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class PersonSearch(Strict):
    """Who to look for: a national number and the address where the person lives."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN_SEARCH]})

    national_number: NationalNumberText
    street: str = Field(min_length=1, max_length=200, examples=["Schoolstraat"])
    house_number: str = Field(min_length=1, max_length=20, examples=["1"])
    postal_code: str = Field(min_length=1, max_length=10, examples=["9000"])


class AddressRead(BaseModel):
    """A postal address."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN_ADDRESS]})

    street: str
    house_number: str
    postal_code: str
    municipality: str


class PersonFound(BaseModel):
    """The person found, shown so the caller can confirm it is the right one."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN_FOUND]})

    national_number: str
    first_name: str
    last_name: str
    address: AddressRead


class MandateCreate(Strict):
    """A new mandate, asked for by its initiator."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.CREATE]})

    type: str = Field(max_length=32, examples=["MYHANDICAP"])
    role: Role = Field(
        description="The initiator's own role; the other party gets the other."
    )
    counterparty: PersonSearch
    start_date: date | None = Field(default=None, description="Today when left out.")
    end_date: date | None = Field(
        default=None, description="Exclusive; none for no end."
    )
    reference: str | None = Field(default=None, max_length=200)
    language: Language | None = Field(
        default=None, description="Language of mails; the initiator's when left out."
    )
    accept_conditions: bool
    initiator_email: EmailStr | None = None
    counterparty_email: EmailStr | None = None


class SignRequest(Strict):
    """The counterparty's acceptance."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.SIGN]})

    accept_conditions: bool


class RefuseRequest(Strict):
    """The counterparty's refusal, with an optional reason."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.REFUSE]})

    reason: Reason


class StopRequest(Strict):
    """Either party's stop, with an optional reason."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.STOP_REQUEST]})

    accept_conditions: bool
    reason: Reason


class PartyRead(BaseModel):
    """One party of a mandate."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN]})

    national_number: str
    first_name: str
    last_name: str


class SignatureRead(BaseModel):
    """One party's signature."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.SIGNED_BY_JAN]})

    role: Role
    signed_at: datetime
    method: str


class StopRead(BaseModel):
    """Who stopped the mandate, when, and why."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.STOPPED_BY_JAN]})

    at: datetime
    by: Role
    reason: str | None


class MandateRead(BaseModel):
    """A mandate, with its status computed for today in Brussels."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.ACTIVE]})

    id: str
    type: str
    status: Status
    mandator: PartyRead
    mandatary: PartyRead
    initiator: Role
    start_date: date
    end_date: date | None
    active_since: date | None
    reference: str | None
    language: Language
    signatures: list[SignatureRead]
    stop: StopRead | None
    created_at: datetime


class MandateList(BaseModel):
    """The caller's mandates in one list of the overview."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.MANDATE_LIST]})

    view: View
    items: list[MandateRead]


class Overview(BaseModel):
    """How many mandates each list of the overview holds."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.OVERVIEW]})

    active: int
    to_sign: int
    awaiting_other_party: int
    awaiting_transfer: int
    scheduled: int
    history: int


class EventRead(BaseModel):
    """One entry of a mandate's history; by is null when nobody acted."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.SIGNED_EVENT]})

    kind: EventKind
    at: datetime
    by: Role | None
    reason: str | None


class MandateTypeRead(BaseModel):
    """One type of the catalogue."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.MYHANDICAP]})

    code: str
    names: dict[Language, str]
    mandator_kinds: list[PartyKind]
    mandatary_kinds: list[PartyKind]
    transferable: bool
