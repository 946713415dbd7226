"""The mandate lifecycle: create, list, read, sign, refuse, withdraw, stop."""

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from service_kit.problems import ProblemError, problem_responses
from ssm_api.api import examples, presenters, schemas
from ssm_api.api.dependencies import (
    CALLER_PROBLEMS,
    ClockDep,
    CurrentCaller,
    HasherDep,
    NotifierDep,
    ReadingUnitOfWorkDep,
    RegisterDep,
    SettingsDep,
    UnitOfWorkDep,
)
from ssm_api.domain import views
from ssm_api.domain.calendar import brussels_date
from ssm_api.domain.national_number import NationalNumber
from ssm_api.domain.types import Language
from ssm_api.service import creation, mandates
from ssm_api.service.persons import PersonQuery
from ssm_api.service.ports import IdempotentRequest

router = APIRouter(prefix="/v1/mandates", tags=["mandates"], responses=CALLER_PROBLEMS)

CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": (
            "The mandate, created now or by the first request with the same "
            "Idempotency-Key."
        ),
        "headers": {
            "Location": {
                "description": "Where the new mandate can be read.",
                "schema": {"type": "string"},
            }
        },
    }
}

MandateId = Annotated[
    str, Path(description="The mandate's id.", examples=[examples.MANDATE_ID])
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="A retry with the same key returns the first answer.",
    ),
]


@router.post(
    "",
    status_code=201,
    summary="Create a mandate",
    response_model=schemas.MandateRead,
    responses={
        **CREATED,
        **problem_responses(
            409,
            413,
            422,
            503,
            examples=[examples.OVERLAPPING, examples.REGISTER_UNAVAILABLE],
        ),
    },
)
async def create_mandate(
    body: schemas.MandateCreate,
    response: Response,
    caller: CurrentCaller,
    uow: UnitOfWorkDep,
    register: RegisterDep,
    clock: ClockDep,
    settings: SettingsDep,
    hasher: HasherDep,
    notifier: NotifierDep,
    idempotency_key: IdempotencyKey = None,
) -> schemas.MandateRead:
    """Create a mandate between the caller and the counterparty, found by national
    number and address. Creating counts as the caller's signature; the mandate is
    `pending` until the counterparty signs.

    The start date defaults to today (Brussels) and may not lie before it; an end
    date, if given, is exclusive and must lie after the start. The language defaults
    to the caller's. Two mandates of one type between the same persons may not
    overlap (409, naming the other mandate). With an `Idempotency-Key`, a retry
    returns the mandate the first request made; the same key with another body
    answers 422.
    """
    request = _create_request(body, caller.locale)
    idempotent = None
    if idempotency_key is not None:
        fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
        idempotent = IdempotentRequest(
            hasher(caller.party.national_number.value), idempotency_key, fingerprint
        )
    lifecycle = creation.Lifecycle(pending_days=settings.pending_expiry_days)
    mandate = await creation.create(
        uow,
        register,
        clock,
        caller,
        request,
        lifecycle=lifecycle,
        idempotent=idempotent,
        notifier=notifier,
    )
    response.headers["Location"] = f"/v1/mandates/{mandate.id}"
    return presenters.mandate(mandate, brussels_date(clock.now()))


def _create_request(
    body: schemas.MandateCreate, locale: str | None
) -> creation.CreateRequest:
    counterparty = body.counterparty
    return creation.CreateRequest(
        type_code=body.type,
        role=body.role,
        counterparty=PersonQuery(
            national_number=NationalNumber.parse(
                counterparty.national_number, field="counterparty.national_number"
            ),
            street=counterparty.street,
            house_number=counterparty.house_number,
            postal_code=counterparty.postal_code,
        ),
        start_date=body.start_date,
        end_date=body.end_date,
        reference=body.reference,
        language=body.language or _language_of(locale),
        accept_conditions=body.accept_conditions,
        initiator_email=body.initiator_email,
        counterparty_email=body.counterparty_email,
    )


def _language_of(locale: str | None) -> Language:
    prefix = (locale or "").split("-")[0].lower()
    return Language(prefix) if prefix in set(Language) else Language.NL


@router.get(
    "",
    summary="List the caller's mandates in one view",
    response_model=schemas.MandateList,
    responses=problem_responses(422),
)
async def list_mandates(
    view: Annotated[views.View, Query(description="Which list of the overview.")],
    caller: CurrentCaller,
    uow: ReadingUnitOfWorkDep,
    clock: ClockDep,
) -> schemas.MandateList:
    """The caller's mandates in one list of the overview, newest first: `active`,
    `to_sign` (pending, for the caller to sign), `awaiting_other_party` (pending,
    created by the caller), `awaiting_transfer` (always empty for types that cannot
    be transferred, such as MYHANDICAP), `scheduled` (signed, starting later) or
    `history` (ended, stopped, refused, withdrawn or expired).
    """
    today = brussels_date(clock.now())
    national_number = caller.party.national_number
    chosen = views.in_view(
        await mandates.of_caller(uow, national_number), national_number, today, view
    )
    return schemas.MandateList(
        view=view, items=[presenters.mandate(m, today) for m in chosen]
    )


@router.get(
    "/overview",
    summary="Count the caller's mandates per view",
    response_model=schemas.Overview,
)
async def overview(
    caller: CurrentCaller, uow: ReadingUnitOfWorkDep, clock: ClockDep
) -> schemas.Overview:
    """How many of the caller's mandates each list of the SSM home page holds."""
    national_number = caller.party.national_number
    totals = views.counts(
        await mandates.of_caller(uow, national_number),
        national_number,
        brussels_date(clock.now()),
    )
    return schemas.Overview(**{view.value: count for view, count in totals.items()})


@router.get(
    "/{mandate_id}",
    summary="Read one mandate",
    response_model=schemas.MandateRead,
    responses=problem_responses(404, examples=[examples.MANDATE_NOT_FOUND]),
)
async def get_mandate(
    mandate_id: MandateId,
    caller: CurrentCaller,
    uow: ReadingUnitOfWorkDep,
    clock: ClockDep,
) -> schemas.MandateRead:
    """One mandate of which the caller is a party; any other id answers 404."""
    mandate = await mandates.get(uow, caller.party.national_number, mandate_id)
    return presenters.mandate(mandate, brussels_date(clock.now()))


@router.get(
    "/{mandate_id}/events",
    summary="Read a mandate's history",
    response_model=list[schemas.EventRead],
    responses=problem_responses(404, examples=[examples.MANDATE_NOT_FOUND]),
)
async def mandate_events(
    mandate_id: MandateId, caller: CurrentCaller, uow: ReadingUnitOfWorkDep
) -> list[schemas.EventRead]:
    """What happened to the mandate, oldest first, and which party did it."""
    events = await mandates.history(uow, caller.party.national_number, mandate_id)
    return [presenters.event(e) for e in events]


def _transition_responses(*refusals: ProblemError) -> dict[int | str, dict[str, Any]]:
    return problem_responses(
        404, 409, 413, 422, examples=[examples.MANDATE_NOT_FOUND, *refusals]
    )


@router.post(
    "/{mandate_id}/sign",
    summary="Sign a pending mandate",
    response_model=schemas.MandateRead,
    responses=_transition_responses(
        examples.not_allowed(
            "sign", "pending", "Only the mandator may sign this mandate."
        ),
        examples.CONDITIONS_NOT_ACCEPTED,
    ),
)
async def sign_mandate(
    mandate_id: MandateId,
    body: schemas.SignRequest,
    caller: CurrentCaller,
    uow: UnitOfWorkDep,
    clock: ClockDep,
    notifier: NotifierDep,
) -> schemas.MandateRead:
    """The counterparty accepts a pending mandate and its conditions. The mandate
    becomes `active`, or `scheduled` when its start date is still to come. The
    initiator cannot sign (409); of two signatures at once, one gets 409.
    """
    change = mandates.signing(caller.method, body.accept_conditions)
    return await _apply(uow, clock, caller, mandate_id, change, notifier)


@router.post(
    "/{mandate_id}/refuse",
    summary="Refuse a pending mandate",
    response_model=schemas.MandateRead,
    responses=_transition_responses(
        examples.not_allowed(
            "refuse", "active", "The mandate is active; it cannot be refused."
        )
    ),
)
async def refuse_mandate(
    mandate_id: MandateId,
    body: schemas.RefuseRequest,
    caller: CurrentCaller,
    uow: UnitOfWorkDep,
    clock: ClockDep,
    notifier: NotifierDep,
) -> schemas.MandateRead:
    """The counterparty declines a pending mandate, optionally saying why."""
    change = mandates.refusing(body.reason)
    return await _apply(uow, clock, caller, mandate_id, change, notifier)


@router.post(
    "/{mandate_id}/withdraw",
    summary="Withdraw a pending mandate",
    response_model=schemas.MandateRead,
    responses=_transition_responses(
        examples.not_allowed(
            "withdraw", "active", "The mandate is active; it cannot be withdrawn."
        )
    ),
)
async def withdraw_mandate(
    mandate_id: MandateId,
    caller: CurrentCaller,
    uow: UnitOfWorkDep,
    clock: ClockDep,
    notifier: NotifierDep,
) -> schemas.MandateRead:
    """The initiator takes back a mandate that the counterparty has not signed."""
    change = mandates.withdrawing()
    return await _apply(uow, clock, caller, mandate_id, change, notifier)


@router.post(
    "/{mandate_id}/stop",
    summary="Stop an active or scheduled mandate",
    response_model=schemas.MandateRead,
    responses=_transition_responses(
        examples.not_allowed(
            "stop", "stopped", "The mandate is stopped; it cannot be stopped."
        ),
        examples.CONDITIONS_NOT_ACCEPTED,
    ),
)
async def stop_mandate(
    mandate_id: MandateId,
    body: schemas.StopRequest,
    caller: CurrentCaller,
    uow: UnitOfWorkDep,
    clock: ClockDep,
    notifier: NotifierDep,
) -> schemas.MandateRead:
    """Either party ends the mandate at once, without the other's consent. Its end
    date becomes today, and from the moment this call returns no access is granted
    under it. Stopping twice answers 409.
    """
    change = mandates.stopping(body.reason, body.accept_conditions)
    return await _apply(uow, clock, caller, mandate_id, change, notifier)


async def _apply(
    uow: UnitOfWorkDep,
    clock: ClockDep,
    caller: CurrentCaller,
    mandate_id: str,
    change: mandates.Transition,
    notifier: NotifierDep,
) -> schemas.MandateRead:
    national_number = caller.party.national_number
    mandate = await mandates.transition(
        uow, clock, national_number, mandate_id, change, notifier=notifier
    )
    return presenters.mandate(mandate, brussels_date(clock.now()))
