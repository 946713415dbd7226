"""Use cases after creation: read a mandate, sign, refuse, withdraw, stop it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ssm_api.domain.errors import (
    MandateNotFoundError,
)
from ssm_api.domain.mandate import (
    Event,
    Mandate,
    Party,
)
from ssm_api.domain.national_number import NationalNumber
from ssm_api.notifications.notifier import Notifier
from ssm_api.service.ports import Clock, UnitOfWork


@dataclass(frozen=True)
class Caller:
    """The logged-in person and how he or she logged in."""

    party: Party
    method: str
    locale: str | None = None


async def get(uow: UnitOfWork, caller: NationalNumber, mandate_id: str) -> Mandate:
    """Return one of the caller's mandates; others do not exist for the caller."""
    async with uow:
        return await _own(uow, caller, mandate_id)


async def history(
    uow: UnitOfWork, caller: NationalNumber, mandate_id: str
) -> list[Event]:
    """Return what happened to one of the caller's mandates."""
    async with uow:
        await _own(uow, caller, mandate_id)
        return await uow.mandates.events(mandate_id)


async def of_caller(uow: UnitOfWork, caller: NationalNumber) -> list[Mandate]:
    """Return every mandate in which the caller is a party."""
    async with uow:
        return await uow.mandates.of_person(caller)


async def _own(uow: UnitOfWork, caller: NationalNumber, mandate_id: str) -> Mandate:
    mandate = await uow.mandates.get(mandate_id)
    if mandate is None or mandate.role_of(caller) is None:
        raise MandateNotFoundError(mandate_id)
    return mandate


Transition = Callable[[Mandate, NationalNumber, datetime], None]


async def transition(
    uow: UnitOfWork,
    clock: Clock,
    caller: NationalNumber,
    mandate_id: str,
    change: Transition,
    *,
    notifier: Notifier | None = None,
) -> Mandate:
    """Apply one change to a mandate atomically: of two at once, one fails."""
    async with uow:
        mandate = await uow.mandates.get(mandate_id, for_update=True)
        if mandate is None:
            raise MandateNotFoundError(mandate_id)
        change(mandate, caller, clock.now())
        events = list(mandate.new_events)
        await uow.mandates.save(mandate)
        if notifier is not None:
            # Queued in this transaction: the mail goes out if and only if the
            # change is kept.
            await notifier.changed(uow, mandate, events)
        await uow.commit()
    return mandate


def signing(method: str, accept: bool) -> Transition:
    """Return the change by which the counterparty signs."""
    return lambda mandate, by, at: mandate.sign(by, at, method, accept)


def refusing(reason: str | None) -> Transition:
    """Return the change by which the counterparty refuses."""
    return lambda mandate, by, at: mandate.refuse(by, at, reason)


def withdrawing() -> Transition:
    """Return the change by which the initiator withdraws."""
    return lambda mandate, by, at: mandate.withdraw(by, at)


def stopping(reason: str | None, accept: bool) -> Transition:
    """Return the change by which either party stops the mandate."""
    return lambda mandate, by, at: mandate.stop(by, at, reason, accept)
