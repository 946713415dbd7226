"""Builders of domain values for the SSM unit tests; each one takes overrides."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ssm_api.domain.access import Candidate
from ssm_api.domain.address import Address
from ssm_api.domain.mandate import (
    Mandate,
    Party,
    Role,
    Signature,
    State,
    Terms,
)
from ssm_api.domain.national_number import NationalNumber
from ssm_api.domain.types import Language, MandateType, PartyKind

# An ordinary Thursday; 11:00 UTC is noon in Brussels.
TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
PENDING_DAYS = 30


def with_check_digits(nine: str, *, born_from_2000: bool = False) -> str:
    """Append 97 minus the nine digits mod 97, with a 2 before them from 2000 on."""
    body = int(f"2{nine}" if born_from_2000 else nine)
    return f"{nine}{97 - body % 97:02d}"


JANE = NationalNumber.parse(with_check_digits("010101123", born_from_2000=True))
JAN = NationalNumber.parse(with_check_digits("121212123"))
AN = NationalNumber.parse(with_check_digits("780423046"))
_NAMES = {JANE: ("Jane", "Doe"), JAN: ("Jan", "Peters"), AN: ("An", "Ansoms")}


def midday(day: date) -> datetime:
    """Return 11:00 UTC on the day, which is that same day in Brussels all year."""
    return datetime.combine(day, time(11), tzinfo=UTC)


TOMORROW = midday(TODAY + timedelta(days=1))


def make_address(**overrides: Any) -> Address:
    return replace(Address("Schoolstraat", "1", "9000", "Gent"), **overrides)


def make_type(**overrides: Any) -> MandateType:
    natural_persons = frozenset({PartyKind.NATURAL_PERSON})
    mandate_type = MandateType(
        code="MYHANDICAP",
        names={
            Language.NL: "MyHandicap",
            Language.FR: "MyHandicap",
            Language.DE: "MyHandicap",
            Language.EN: "MyHandicap",
        },
        mandator_kinds=natural_persons,
        mandatary_kinds=natural_persons,
        transferable=False,
    )
    return replace(mandate_type, **overrides)


def make_party(national_number: NationalNumber = JANE, **overrides: Any) -> Party:
    first_name, last_name = _NAMES[national_number]
    return replace(Party(national_number, first_name, last_name), **overrides)


def make_terms(**overrides: Any) -> Terms:
    terms = Terms(
        mandate_type=make_type(),
        initiator_role=Role.MANDATARY,
        start_date=TODAY,
        end_date=None,
        reference="papa",
        language=Language.NL,
        accept_conditions=True,
    )
    return replace(terms, **overrides)


def make_mandate(**overrides: Any) -> Mandate:
    """Return a pending mandate that Jane, as mandatary, created for Jan at NOW."""
    initiator = overrides.get("initiator", Role.MANDATARY)
    created_at = overrides.get("created_at", NOW)
    mandate = Mandate(
        id="m-1",
        type_code="MYHANDICAP",
        mandator=make_party(JAN),
        mandatary=make_party(JANE),
        initiator=initiator,
        start_date=TODAY,
        end_date=None,
        expires_on=TODAY + timedelta(days=PENDING_DAYS),
        reference=None,
        language=Language.NL,
        state=State.PENDING,
        signatures=[Signature(initiator, created_at, "itsme")],
        stop_=None,
        created_at=created_at,
    )
    return replace(mandate, **overrides)


def make_signed_mandate(*, signed_at: datetime = NOW, **overrides: Any) -> Mandate:
    """Return a mandate built as make_mandate, then signed by its counterparty."""
    mandate = make_mandate(**overrides)
    mandate.signatures.append(Signature(mandate.counterparty, signed_at, "eid"))
    mandate.state = State.SIGNED
    return mandate


def make_candidate(**overrides: Any) -> Candidate:
    """Return the columns of a signed mandate that started ten days ago."""
    candidate = Candidate(
        mandate_id="m-1",
        state=State.SIGNED,
        start_date=TODAY - timedelta(days=10),
        end_date=None,
        expires_on=TODAY - timedelta(days=5),
    )
    return replace(candidate, **overrides)


def snapshot(mandate: Mandate) -> tuple[object, ...]:
    """Return what a refused action must leave unchanged."""
    return (
        mandate.state,
        list(mandate.signatures),
        mandate.stop_,
        list(mandate.new_events),
    )
