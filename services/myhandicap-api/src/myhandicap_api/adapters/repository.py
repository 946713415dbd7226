"""Dossiers, applications and the access log, stored with SQLAlchemy."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from myhandicap_api.adapters.orm import AccessLogEntryRow, ApplicationRow, DossierRow
from myhandicap_api.domain.access import (
    AccessAction,
    AccessBasis,
    AccessDecision,
    AccessLogEntry,
    Actor,
    Outcome,
)
from myhandicap_api.domain.dossier import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Person,
)


class SqlDossierRepository:
    """Dossiers and their applications in one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, national_number: str) -> Person | None:
        """Return the owner of the dossier, or None when there is no dossier yet."""
        row = await self._session.get(DossierRow, national_number)
        if row is None:
            return None
        return Person(row.national_number, row.first_name, row.last_name)

    async def ensure(self, owner: Person) -> None:
        """Create the dossier unless it exists; keep an existing one as it is."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # Two first applications at once must not make the second one fail.
        statement = (
            insert(DossierRow)
            .values(
                national_number=owner.national_number,
                first_name=owner.first_name,
                last_name=owner.last_name,
                created_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(index_elements=["national_number"])
        )
        await self._session.execute(statement)

    async def add_application(self, application: Application) -> None:
        """Add an application to its owner's dossier, which must exist."""
        self._session.add(_application_row(application))

    async def applications(self, national_number: str) -> list[Application]:
        """Return the dossier's applications, newest first."""
        rows = await self._session.scalars(
            select(ApplicationRow)
            .where(ApplicationRow.dossier_national_number == national_number)
            .order_by(ApplicationRow.submitted_at.desc(), ApplicationRow.id)
        )
        return [_application(row) for row in rows]

    async def application(
        self, national_number: str, application_id: uuid.UUID
    ) -> Application | None:
        """Return one application of the dossier, or None."""
        row = await self._session.get(ApplicationRow, application_id)
        if row is None or row.dossier_national_number != national_number:
            return None
        return _application(row)


class SqlAccessLog:
    """The access log in one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: AccessLogEntry) -> None:
        """Record one attempt."""
        self._session.add(_entry_row(entry))

    async def entries(self, national_number: str) -> list[AccessLogEntry]:
        """Return the attempts on a dossier, newest first."""
        rows = await self._session.scalars(
            select(AccessLogEntryRow)
            .where(AccessLogEntryRow.owner_national_number == national_number)
            .order_by(AccessLogEntryRow.occurred_at.desc(), AccessLogEntryRow.id.desc())
        )
        return [_entry(row) for row in rows]


def _application_row(application: Application) -> ApplicationRow:
    actor = application.submitted_by
    return ApplicationRow(
        id=application.id,
        dossier_national_number=application.owner_national_number,
        kind=application.kind.value,
        status=application.status.value,
        note=application.note,
        submitted_at=application.submitted_at,
        submitted_by_national_number=actor.national_number,
        submitted_by_first_name=actor.first_name,
        submitted_by_last_name=actor.last_name,
        submitted_by_organisation=actor.organisation,
        submitted_by_professional=actor.professional,
        basis=application.basis.value,
        mandate_id=application.mandate_id,
    )


def _application(row: ApplicationRow) -> Application:
    return Application(
        id=row.id,
        owner_national_number=row.dossier_national_number,
        kind=ApplicationKind(row.kind),
        status=ApplicationStatus(row.status),
        note=row.note,
        submitted_at=row.submitted_at,
        submitted_by=Actor(
            national_number=row.submitted_by_national_number,
            first_name=row.submitted_by_first_name,
            last_name=row.submitted_by_last_name,
            organisation=row.submitted_by_organisation,
            professional=row.submitted_by_professional,
        ),
        basis=AccessBasis(row.basis),
        mandate_id=row.mandate_id,
    )


def _entry_row(entry: AccessLogEntry) -> AccessLogEntryRow:
    actor, decision = entry.actor, entry.decision
    return AccessLogEntryRow(
        owner_national_number=entry.owner_national_number,
        actor_national_number=actor.national_number,
        actor_first_name=actor.first_name,
        actor_last_name=actor.last_name,
        actor_organisation=actor.organisation,
        actor_professional=actor.professional,
        action=entry.action.value,
        outcome=entry.outcome.value,
        basis=decision.basis.value if decision.basis else None,
        mandate_id=decision.mandate_id,
        reason=decision.reason,
        occurred_at=entry.occurred_at,
    )


def _entry(row: AccessLogEntryRow) -> AccessLogEntry:
    decision = AccessDecision(
        allowed=row.outcome == Outcome.ALLOWED,
        basis=AccessBasis(row.basis) if row.basis else None,
        mandate_id=row.mandate_id,
        reason=row.reason,
    )
    actor = Actor(
        national_number=row.actor_national_number,
        first_name=row.actor_first_name,
        last_name=row.actor_last_name,
        organisation=row.actor_organisation,
        professional=row.actor_professional,
    )
    return AccessLogEntry(
        row.owner_national_number,
        actor,
        AccessAction(row.action),
        decision,
        row.occurred_at,
    )
