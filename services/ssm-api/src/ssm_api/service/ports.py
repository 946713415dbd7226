"""What the use cases need from the world: storage, the register, a clock, ids."""

from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from ssm_api.domain.access import Candidate
from ssm_api.domain.address import Address
from ssm_api.domain.mandate import Event, Mandate
from ssm_api.domain.national_number import NationalNumber
from ssm_api.domain.types import MandateType
from ssm_api.notifications.mail import Contacts, OutgoingMail


@dataclass(frozen=True)
class RegisterPerson:
    """A person as the national register knows him or her."""

    national_number: NationalNumber
    first_name: str
    last_name: str
    address: Address
    natural_person: bool


class Register(Protocol):
    """The national register, asked one person at a time."""

    async def find(self, national_number: NationalNumber) -> RegisterPerson | None:
        """Return the person with this number, or None when there is none."""
        ...


class Clock(Protocol):
    """The current instant, as a parameter so that rules test without waiting."""

    def now(self) -> datetime:
        """Return the current instant, with its time zone."""
        ...


@dataclass(frozen=True)
class Represented:
    """A person someone may act for, under one active mandate."""

    national_number: str
    first_name: str
    last_name: str
    mandate_id: str
    start_date: date
    end_date: date | None
    active_since: date


class MandateRepository(Protocol):
    """Mandates and their history, as stored."""

    async def get(self, mandate_id: str, *, for_update: bool = False) -> Mandate | None:
        """Return the mandate, locked against concurrent change when asked."""
        ...

    async def add(self, mandate: Mandate) -> None:
        """Store a new mandate with its first events."""
        ...

    async def save(self, mandate: Mandate) -> None:
        """Store a mandate's new state and new events."""
        ...

    async def of_person(self, national_number: NationalNumber) -> list[Mandate]:
        """Return every mandate in which the person is a party."""
        ...

    async def open_between(
        self, type_code: str, mandator: NationalNumber, mandatary: NationalNumber
    ) -> list[Mandate]:
        """Return the pending and signed mandates of a type between two persons."""
        ...

    async def events(self, mandate_id: str) -> list[Event]:
        """Return a mandate's history, oldest first."""
        ...

    async def access_candidates(
        self, type_code: str, mandatary: str, mandator: str
    ) -> list[Candidate]:
        """Return what an access decision needs of the mandates between two persons."""
        ...

    async def represented_by(
        self,
        type_code: str,
        mandatary: str,
        day: date,
        after: tuple[str, ...] | None,
        limit: int,
    ) -> list[Represented]:
        """Return persons the mandatary may act for on the day, by name, after a key."""
        ...


class MandateTypes(Protocol):
    """The catalogue of mandate types."""

    async def get(self, code: str) -> MandateType | None:
        """Return the type with this code, or None."""
        ...

    async def all(self) -> list[MandateType]:
        """Return every type, by code."""
        ...


@dataclass(frozen=True)
class IdempotentRequest:
    """A creation the caller may retry under the same key."""

    caller: str
    key: str
    fingerprint: str


class IdempotencyKeys(Protocol):
    """Remembered creations, so that a retried request makes no second mandate."""

    async def find(self, caller: str, key: str) -> tuple[str, str] | None:
        """Return (fingerprint, mandate id) stored under the caller's key."""
        ...

    async def remember(self, request: IdempotentRequest, mandate_id: str) -> None:
        """Store the mandate made under the caller's key."""
        ...


class RateLimits(Protocol):
    """Counts of recent attempts per caller."""

    async def hit(self, caller: str, at: datetime, limit: int, window: float) -> float:
        """Count an attempt; return 0 when allowed, else seconds until the next one."""
        ...


class ContactBook(Protocol):
    """The parties' mail addresses, kept only while a mandate can still cause mail."""

    async def add(self, mandate_id: str, contacts: Contacts) -> None:
        """Keep the addresses given when the mandate was created."""
        ...

    async def get(self, mandate_id: str) -> Contacts | None:
        """Return the addresses kept for a mandate, or None when there are none."""
        ...

    async def due_for_reminder(
        self, today: date, horizon: date, limit: int
    ) -> list[str]:
        """Return signed mandates not yet reminded that end soon, by the horizon."""
        ...

    async def mark_reminded(self, mandate_id: str, at: datetime) -> None:
        """Record that the end-date reminder was put in the outbox."""
        ...

    async def erase_settled(self, final_by: datetime, ended_by: date) -> int:
        """Erase addresses of mandates final since those moments; return how many."""
        ...


class Outbox(Protocol):
    """Mail waiting to be sent, written in the transaction that caused it."""

    async def add(self, mail: OutgoingMail) -> None:
        """Queue one message."""
        ...

    async def purge(self, settled_before: datetime) -> int:
        """Delete messages sent or given up before the instant; return how many."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every store; nothing is kept unless committed."""

    @property
    def mandates(self) -> MandateRepository:
        """Return the mandates of this transaction."""
        ...

    @property
    def types(self) -> MandateTypes:
        """Return the catalogue of this transaction."""
        ...

    @property
    def idempotency(self) -> IdempotencyKeys:
        """Return the remembered creations of this transaction."""
        ...

    @property
    def rate_limits(self) -> RateLimits:
        """Return the attempt counts of this transaction."""
        ...

    @property
    def contacts(self) -> ContactBook:
        """Return the parties' mail addresses of this transaction."""
        ...

    @property
    def outbox(self) -> Outbox:
        """Return the mail queued in this transaction."""
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Keep the changes made in this transaction."""
        ...
