"""The mandate: its creation rules, its states and the transitions between them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from ssm_api.domain.calendar import brussels_date
from ssm_api.domain.errors import (
    ConditionsNotAcceptedError,
    InvalidInputError,
    MandateNotFoundError,
    PartyKindNotAllowedError,
    SelfMandateError,
    TransitionNotAllowedError,
)
from ssm_api.domain.national_number import NationalNumber
from ssm_api.domain.types import Language, MandateType, PartyKind


class Role(StrEnum):
    """The two sides of a mandate."""

    MANDATOR = "mandator"
    MANDATARY = "mandatary"

    @property
    def other(self) -> "Role":
        """Return the opposite role."""
        return Role.MANDATARY if self is Role.MANDATOR else Role.MANDATOR


class State(StrEnum):
    """What has happened to a mandate, as stored; the date does not change it."""

    PENDING = "pending"
    SIGNED = "signed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    EXPIRED = "expired"


class Status(StrEnum):
    """What a mandate is on a given day."""

    PENDING = "pending"
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    ENDED = "ended"
    STOPPED = "stopped"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


FINAL_STATUSES = frozenset(
    {Status.ENDED, Status.STOPPED, Status.REFUSED, Status.WITHDRAWN, Status.EXPIRED}
)


_DONE = {
    "sign": "signed",
    "refuse": "refused",
    "withdraw": "withdrawn",
    "stop": "stopped",
}


class EventKind(StrEnum):
    """Things that happen to a mandate, kept as its history."""

    CREATED = "created"
    SIGNED = "signed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Party:
    """A person taking part in a mandate, with the names shown to the other."""

    national_number: NationalNumber
    first_name: str
    last_name: str
    kind: PartyKind = PartyKind.NATURAL_PERSON


@dataclass(frozen=True)
class Signature:
    """One party's acceptance of the mandate and its conditions."""

    role: Role
    signed_at: datetime
    method: str


@dataclass(frozen=True)
class Stop:
    """Who ended the mandate early, when, and why."""

    at: datetime
    by: Role
    reason: str | None


@dataclass(frozen=True)
class Event:
    """One entry of a mandate's history; by is None when nobody acted."""

    kind: EventKind
    at: datetime
    by: Role | None
    reason: str | None = None


@dataclass(frozen=True)
class Terms:
    """What the initiator asks for when creating a mandate."""

    mandate_type: MandateType
    initiator_role: Role
    start_date: date
    end_date: date | None
    reference: str | None
    language: Language
    accept_conditions: bool


@dataclass
class Mandate:
    """A mandate between a mandator and a mandatary, for one type."""

    id: str
    type_code: str
    mandator: Party
    mandatary: Party
    initiator: Role
    start_date: date
    end_date: date | None
    expires_on: date
    reference: str | None
    language: Language
    state: State
    signatures: list[Signature]
    stop_: Stop | None
    created_at: datetime
    new_events: list[Event] = field(default_factory=list)

    def party(self, role: Role) -> Party:
        """Return the party in the given role."""
        return self.mandator if role is Role.MANDATOR else self.mandatary

    def role_of(self, national_number: NationalNumber) -> Role | None:
        """Return the caller's role in this mandate, or None for a third person."""
        if national_number == self.mandator.national_number:
            return Role.MANDATOR
        if national_number == self.mandatary.national_number:
            return Role.MANDATARY
        return None

    @property
    def counterparty(self) -> Role:
        """Return the role of the party that did not create the mandate."""
        return self.initiator.other

    def status_on(self, day: date) -> Status:
        """Return what the mandate is on a calendar day in Brussels."""
        return status_on(
            self.state, self.start_date, self.end_date, self.expires_on, day
        )

    @property
    def active_since(self) -> date | None:
        """Return the day it became usable: the later of start and second signature."""
        if len(self.signatures) < 2:
            return None
        signed_on = max(brussels_date(s.signed_at) for s in self.signatures)
        since = max(self.start_date, signed_on)
        if self.stop_ is not None and brussels_date(self.stop_.at) < since:
            return None
        return since

    @property
    def effective_end_date(self) -> date | None:
        """Return the end date, which a stop brings forward to the day of stopping."""
        if self.stop_ is not None:
            return brussels_date(self.stop_.at)
        return self.end_date

    def sign(self, by: NationalNumber, at: datetime, method: str, accept: bool) -> None:
        """Record the counterparty's signature; both have now signed."""
        role = self._require(by, "sign", at, Status.PENDING, only=self.counterparty)
        _require_conditions(accept)
        self.signatures.append(Signature(role, at, method))
        self._move(State.SIGNED, Event(EventKind.SIGNED, at, role))

    def refuse(self, by: NationalNumber, at: datetime, reason: str | None) -> None:
        """Record the counterparty's refusal of a pending mandate."""
        role = self._require(by, "refuse", at, Status.PENDING, only=self.counterparty)
        self._move(State.REFUSED, Event(EventKind.REFUSED, at, role, reason))

    def withdraw(self, by: NationalNumber, at: datetime) -> None:
        """Record that the initiator takes back a mandate not yet signed."""
        role = self._require(by, "withdraw", at, Status.PENDING, only=self.initiator)
        self._move(State.WITHDRAWN, Event(EventKind.WITHDRAWN, at, role))

    def stop(
        self, by: NationalNumber, at: datetime, reason: str | None, accept: bool
    ) -> None:
        """End an active or scheduled mandate at once, at either party's wish."""
        role = self._require(by, "stop", at, Status.ACTIVE, Status.SCHEDULED)
        _require_conditions(accept)
        self.stop_ = Stop(at, role, reason)
        self._move(State.STOPPED, Event(EventKind.STOPPED, at, role, reason))

    def expire(self, at: datetime) -> None:
        """Record that a pending mandate was left unsigned past its expiry."""
        status = self.status_on(brussels_date(at))
        if self.state is not State.PENDING or status is not Status.EXPIRED:
            raise TransitionNotAllowedError(
                "expire", status, "Only an unsigned mandate past its expiry expires."
            )
        self._move(State.EXPIRED, Event(EventKind.EXPIRED, at, None))

    def _require(
        self,
        by: NationalNumber,
        action: str,
        at: datetime,
        *allowed: Status,
        only: Role | None = None,
    ) -> Role:
        role = self.role_of(by)
        if role is None:
            # A third person learns nothing, not even that the mandate exists.
            raise MandateNotFoundError(self.id)
        status = self.status_on(brussels_date(at))
        if status not in allowed:
            raise TransitionNotAllowedError(
                action,
                status,
                f"The mandate is {status}; it cannot be {_DONE[action]}.",
            )
        if only is not None and role is not only:
            raise TransitionNotAllowedError(
                action, status, f"Only the {only} may {action} this mandate."
            )
        return role

    def _move(self, state: State, event: Event) -> None:
        self.state = state
        self.new_events.append(event)


def status_on(
    state: State, start_date: date, end_date: date | None, expires_on: date, day: date
) -> Status:
    """Return the status on a day of a mandate with this state and these dates."""
    if state is State.PENDING:
        return Status.EXPIRED if day >= expires_on else Status.PENDING
    if state is not State.SIGNED:
        return Status(state.value)
    if end_date is not None and day >= end_date:
        return Status.ENDED
    return Status.SCHEDULED if day < start_date else Status.ACTIVE


def create_mandate(
    mandate_id: str,
    terms: Terms,
    initiator: Party,
    counterparty: Party,
    *,
    at: datetime,
    method: str,
    pending_days: int,
) -> Mandate:
    """Create a pending mandate that counts as signed by its initiator."""
    today = brussels_date(at)
    _check_terms(terms, today)
    _check_parties(terms, initiator, counterparty)
    mandator, mandatary = (
        (initiator, counterparty)
        if terms.initiator_role is Role.MANDATOR
        else (counterparty, initiator)
    )
    expires_on = today + timedelta(days=pending_days)
    if terms.end_date is not None:
        expires_on = min(expires_on, terms.end_date)
    mandate = Mandate(
        id=mandate_id,
        type_code=terms.mandate_type.code,
        mandator=mandator,
        mandatary=mandatary,
        initiator=terms.initiator_role,
        start_date=terms.start_date,
        end_date=terms.end_date,
        expires_on=expires_on,
        reference=terms.reference,
        language=terms.language,
        state=State.PENDING,
        signatures=[Signature(terms.initiator_role, at, method)],
        stop_=None,
        created_at=at,
    )
    mandate.new_events.append(Event(EventKind.CREATED, at, terms.initiator_role))
    return mandate


def _check_terms(terms: Terms, today: date) -> None:
    _require_conditions(terms.accept_conditions)
    if terms.start_date < today:
        raise InvalidInputError("start_date", "The start date cannot lie before today.")
    if terms.end_date is not None and terms.end_date <= terms.start_date:
        raise InvalidInputError(
            "end_date", "The end date must lie after the start date."
        )


def _check_parties(terms: Terms, initiator: Party, counterparty: Party) -> None:
    if initiator.national_number == counterparty.national_number:
        raise SelfMandateError(
            "counterparty.national_number", "You cannot give a mandate to yourself."
        )
    mandate_type = terms.mandate_type
    kinds = {
        Role.MANDATOR: mandate_type.mandator_kinds,
        Role.MANDATARY: mandate_type.mandatary_kinds,
    }
    if initiator.kind not in kinds[terms.initiator_role]:
        raise PartyKindNotAllowedError(
            "role", f"{_KIND_NAMES[initiator.kind]} cannot take this role in this type."
        )
    if counterparty.kind not in kinds[terms.initiator_role.other]:
        raise PartyKindNotAllowedError(
            "counterparty",
            f"{_KIND_NAMES[counterparty.kind]} cannot take part in a "
            f"{mandate_type.code} mandate.",
        )


_KIND_NAMES = {
    PartyKind.NATURAL_PERSON: "A natural person",
    PartyKind.ENTERPRISE: "An enterprise",
}


def _require_conditions(accepted: bool) -> None:
    if not accepted:
        raise ConditionsNotAcceptedError(
            "accept_conditions", "The conditions must be read and accepted."
        )
