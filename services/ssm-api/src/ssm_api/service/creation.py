"""Creating a mandate: checks, the other party, overlaps, retries and races."""

import uuid
from dataclasses import dataclass
from datetime import date
from functools import partial

from ssm_api.domain.calendar import brussels_date
from ssm_api.domain.errors import (
    InvalidInputError,
    OverlapError,
    PersonNotFoundError,
    UnknownMandateTypeError,
)
from ssm_api.domain.mandate import (
    Mandate,
    Party,
    Role,
    Status,
    Terms,
    create_mandate,
)
from ssm_api.domain.types import Language, PartyKind
from ssm_api.notifications.mail import Contacts
from ssm_api.notifications.notifier import Notifier
from ssm_api.service.errors import (
    CreationRaceLostError,
    IdempotencyKeyReusedError,
    TransientConflictError,
)
from ssm_api.service.mandates import Caller
from ssm_api.service.persons import PersonQuery, find_person
from ssm_api.service.ports import Clock, IdempotentRequest, Register, UnitOfWork


@dataclass(frozen=True)
class CreateRequest:
    """The initiator's request, as parsed at the edge."""

    type_code: str
    role: Role
    counterparty: PersonQuery
    start_date: date | None
    end_date: date | None
    reference: str | None
    language: Language
    accept_conditions: bool
    initiator_email: str | None = None
    counterparty_email: str | None = None


CREATION_ATTEMPTS = 3


@dataclass(frozen=True)
class Lifecycle:
    """Settings of the lifecycle that operators choose."""

    pending_days: int = 30


async def create(
    uow: UnitOfWork,
    register: Register,
    clock: Clock,
    caller: Caller,
    request: CreateRequest,
    *,
    lifecycle: Lifecycle,
    idempotent: IdempotentRequest | None = None,
    notifier: Notifier | None = None,
) -> Mandate:
    """Create a pending mandate, or return the one made under the same key."""
    attempt = partial(
        _create_once,
        uow,
        register,
        clock,
        caller,
        request,
        lifecycle=lifecycle,
        idempotent=idempotent,
        notifier=notifier,
    )
    try:
        for _ in range(CREATION_ATTEMPTS - 1):
            try:
                return await attempt()
            except TransientConflictError:
                # Two inserts checking the overlap rule against each other's rows
                # can deadlock; the database aborts one, which tries again and then
                # waits for the other's outcome like any later request would.
                continue
        return await attempt()
    except CreationRaceLostError:
        return await _after_lost_race(uow, caller, request, idempotent)
    except OverlapError:
        # The overlapping mandate may be this very request's, made by a retry that
        # committed after this one looked for its key.
        if idempotent is None:
            raise
        return await _after_lost_race(uow, caller, request, idempotent)


async def _after_lost_race(
    uow: UnitOfWork,
    caller: Caller,
    request: CreateRequest,
    idempotent: IdempotentRequest | None,
) -> Mandate:
    # Another request committed first a mandate that the database would not let
    # this one overlap, or the same idempotency key. Now that it is visible: a
    # retry gets the first answer, anything else is told which mandate is in the way.
    async with uow:
        if idempotent is not None:
            earlier = await _earlier_creation(uow, idempotent)
            if earlier is not None:
                return earlier
        mine, theirs = (
            caller.party.national_number,
            request.counterparty.national_number,
        )
        mandator, mandatary = (
            (mine, theirs) if request.role is Role.MANDATOR else (theirs, mine)
        )
        existing = await uow.mandates.open_between(
            request.type_code, mandator, mandatary
        )
    raise OverlapError(existing[0].id if existing else None)


async def _create_once(
    uow: UnitOfWork,
    register: Register,
    clock: Clock,
    caller: Caller,
    request: CreateRequest,
    *,
    lifecycle: Lifecycle,
    idempotent: IdempotentRequest | None,
    notifier: Notifier | None,
) -> Mandate:
    async with uow:
        if idempotent is not None:
            earlier = await _earlier_creation(uow, idempotent)
            if earlier is not None:
                return earlier
        terms = await _terms(uow, clock, request)
        counterparty = await _counterparty(register, request.counterparty)
        now = clock.now()
        mandate = create_mandate(
            str(uuid.uuid4()),
            terms,
            caller.party,
            counterparty,
            at=now,
            method=caller.method,
            pending_days=lifecycle.pending_days,
        )
        await _refuse_overlap(uow, mandate, clock)
        await uow.mandates.add(mandate)
        if idempotent is not None:
            await uow.idempotency.remember(idempotent, mandate.id)
        if notifier is not None:
            await notifier.created(uow, mandate, _contacts(mandate, request))
        await uow.commit()
    return mandate


def _contacts(mandate: Mandate, request: CreateRequest) -> Contacts:
    return Contacts.given_by(
        mandate.initiator, request.initiator_email, request.counterparty_email
    )


async def _earlier_creation(
    uow: UnitOfWork, idempotent: IdempotentRequest
) -> Mandate | None:
    stored = await uow.idempotency.find(idempotent.caller, idempotent.key)
    if stored is None:
        return None
    fingerprint, mandate_id = stored
    if fingerprint != idempotent.fingerprint:
        raise IdempotencyKeyReusedError
    return await uow.mandates.get(mandate_id)


async def _terms(uow: UnitOfWork, clock: Clock, request: CreateRequest) -> Terms:
    mandate_type = await uow.types.get(request.type_code)
    if mandate_type is None:
        raise UnknownMandateTypeError(
            "type", f"Unknown mandate type {request.type_code}."
        )
    return Terms(
        mandate_type=mandate_type,
        initiator_role=request.role,
        start_date=request.start_date or brussels_date(clock.now()),
        end_date=request.end_date,
        reference=request.reference,
        language=request.language,
        accept_conditions=request.accept_conditions,
    )


async def _counterparty(register: Register, query: PersonQuery) -> Party:
    try:
        person = await find_person(register, query)
    except PersonNotFoundError:
        raise InvalidInputError(
            "counterparty", "No person matches this national number and address."
        ) from None
    kind = PartyKind.NATURAL_PERSON if person.natural_person else PartyKind.ENTERPRISE
    return Party(person.national_number, person.first_name, person.last_name, kind)


async def _refuse_overlap(uow: UnitOfWork, mandate: Mandate, clock: Clock) -> None:
    existing = await uow.mandates.open_between(
        mandate.type_code,
        mandate.mandator.national_number,
        mandate.mandatary.national_number,
    )
    today = brussels_date(clock.now())
    for other in existing:
        if other.status_on(today) is Status.EXPIRED:
            # Stored as expired now, so that the database's own overlap rule,
            # which only knows stored states, lets the new mandate in.
            other.expire(clock.now())
            await uow.mandates.save(other)
        elif _overlaps(other, mandate):
            raise OverlapError(other.id)


def _overlaps(a: Mandate, b: Mandate) -> bool:
    a_before_b_ends = b.end_date is None or a.start_date < b.end_date
    b_before_a_ends = a.end_date is None or b.start_date < a.end_date
    return a_before_b_ends and b_before_a_ends
