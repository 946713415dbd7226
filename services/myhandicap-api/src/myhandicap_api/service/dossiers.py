"""Use cases on a dossier: open it, list and submit applications, read its log.

Each one records the attempt in the access log, refusals included: a refusal's
record is committed before the refusal is raised, so it survives the failed request.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from myhandicap_api.domain.access import (
    UNAVAILABLE,
    AccessAction,
    AccessBasis,
    AccessDecision,
    AccessLogEntry,
    Actor,
    DenialReason,
    decide_access,
    decide_access_log,
    needs_mandate,
)
from myhandicap_api.domain.dossier import (
    Application,
    ApplicationKind,
    Person,
    new_application,
)
from myhandicap_api.domain.errors import (
    AccessDeniedError,
    ApplicationNotFoundError,
    AuthorityUnavailableError,
)
from myhandicap_api.service.ports import AccessAuthority, UnitOfWork


@dataclass(frozen=True)
class DossierView:
    """A dossier as its reader sees it, with the basis the reader opened it on."""

    person: Person
    applications: list[Application]
    access: AccessDecision


@dataclass(frozen=True)
class _Attempt:
    actor: Actor
    owner: str
    action: AccessAction
    now: datetime


async def open_dossier(
    uow: UnitOfWork,
    authority: AccessAuthority,
    actor: Actor,
    owner: str,
    *,
    now: datetime,
) -> DossierView:
    """Open a dossier; one that does not exist yet opens empty."""
    attempt = _Attempt(actor, owner, AccessAction.OPEN_DOSSIER, now)
    async with uow:
        decision = await _authorize(uow, authority, attempt)
        stored = await uow.dossiers.get(owner)
        applications = await uow.dossiers.applications(owner)
        await uow.commit()
    person = await _person_shown(authority, attempt, stored, decision)
    return DossierView(person, applications, decision)


async def list_applications(
    uow: UnitOfWork,
    authority: AccessAuthority,
    actor: Actor,
    owner: str,
    *,
    now: datetime,
) -> list[Application]:
    """List the dossier's applications, newest first."""
    attempt = _Attempt(actor, owner, AccessAction.LIST_APPLICATIONS, now)
    async with uow:
        await _authorize(uow, authority, attempt)
        applications = await uow.dossiers.applications(owner)
        await uow.commit()
    return applications


async def get_application(
    uow: UnitOfWork,
    authority: AccessAuthority,
    actor: Actor,
    owner: str,
    *,
    application_id: uuid.UUID,
    now: datetime,
) -> Application:
    """Return one application of the dossier."""
    attempt = _Attempt(actor, owner, AccessAction.READ_APPLICATION, now)
    async with uow:
        await _authorize(uow, authority, attempt)
        found = await uow.dossiers.application(owner, application_id)
        await uow.commit()
    if found is None:
        raise ApplicationNotFoundError(str(application_id))
    return found


async def submit_application(
    uow: UnitOfWork,
    authority: AccessAuthority,
    actor: Actor,
    owner: str,
    *,
    kind: ApplicationKind,
    note: str | None,
    now: datetime,
) -> Application:
    """Submit an application for the owner, creating the dossier on first use."""
    attempt = _Attempt(actor, owner, AccessAction.SUBMIT_APPLICATION, now)
    async with uow:
        decision = await _authorize(uow, authority, attempt)
        # Asked before the first statement: no transaction waits on the network.
        person = await _person_shown(authority, attempt, None, decision)
        await uow.dossiers.ensure(person)
        application = new_application(
            owner, kind, note, actor=actor, decision=decision, now=now
        )
        await uow.dossiers.add_application(application)
        await uow.commit()
    return application


async def access_log(
    uow: UnitOfWork, actor: Actor, owner: str, *, now: datetime
) -> list[AccessLogEntry]:
    """Return who acted on the dossier, newest first; for owner and professionals."""
    attempt = _Attempt(actor, owner, AccessAction.READ_ACCESS_LOG, now)
    async with uow:
        await _record(uow, attempt, decide_access_log(actor, owner))
        entries = await uow.access_log.entries(owner)
        await uow.commit()
    return entries


async def _authorize(
    uow: UnitOfWork, authority: AccessAuthority, attempt: _Attempt
) -> AccessDecision:
    decision = await _decide(authority, attempt.actor, attempt.owner)
    await _record(uow, attempt, decision)
    return decision


async def _decide(
    authority: AccessAuthority, actor: Actor, owner: str
) -> AccessDecision:
    if not needs_mandate(actor, owner):
        return decide_access(actor, owner, None)
    try:
        answer = await authority.evaluate(actor.national_number, owner)
    except AuthorityUnavailableError:
        # Never allow when unsure: no answer counts as a refusal, and is recorded.
        return UNAVAILABLE
    return decide_access(actor, owner, answer)


async def _record(uow: UnitOfWork, attempt: _Attempt, decision: AccessDecision) -> None:
    entry = AccessLogEntry(
        attempt.owner, attempt.actor, attempt.action, decision, attempt.now
    )
    await uow.access_log.add(entry)
    if decision.allowed:
        return
    await uow.commit()
    if decision.reason == DenialReason.AUTHORITY_UNAVAILABLE:
        raise AuthorityUnavailableError("no decision")
    reason = decision.reason or DenialReason.NO_MANDATE
    raise AccessDeniedError(
        attempt.actor.national_number, attempt.owner, attempt.action, reason
    )


async def _person_shown(
    authority: AccessAuthority,
    attempt: _Attempt,
    stored: Person | None,
    decision: AccessDecision,
) -> Person:
    actor, owner = attempt.actor, attempt.owner
    if decision.basis == AccessBasis.OWN:
        return Person(owner, actor.first_name, actor.last_name)
    if stored is not None and stored.last_name is not None:
        return stored
    if decision.basis == AccessBasis.MANDATE:
        return await _person_from_mandates(authority, actor, owner)
    return Person(owner)


async def _person_from_mandates(
    authority: AccessAuthority, actor: Actor, owner: str
) -> Person:
    try:
        persons = await authority.represented_persons(actor.national_number)
    except AuthorityUnavailableError:
        # The names are a courtesy: access was already decided; the number will do.
        return Person(owner)
    match = next((p for p in persons if p.national_number == owner), None)
    if match is None:
        return Person(owner)
    return Person(owner, match.first_name, match.last_name)
