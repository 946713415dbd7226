"""SQL stores of the parties' addresses and of the outbox, inside a unit of work."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ssm_api.adapters.tables import (
    MandateContactRow,
    MandateEventRow,
    MandateRow,
    OutboxMessageRow,
)
from ssm_api.domain.mandate import State
from ssm_api.notifications.mail import Contacts, OutgoingMail

_FINAL_STATES = [s.value for s in (State.REFUSED, State.WITHDRAWN, State.STOPPED)]
_UNSIGNED_STATES = [State.PENDING.value, State.EXPIRED.value]


class SqlContactBook:
    """Addresses per mandate, one row that is deleted once no more mail can come."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, mandate_id: str, contacts: Contacts) -> None:
        """Keep the addresses given when the mandate was created."""
        self._session.add(
            MandateContactRow(
                mandate_id=mandate_id,
                mandator_email=contacts.mandator,
                mandatary_email=contacts.mandatary,
            )
        )

    async def get(self, mandate_id: str) -> Contacts | None:
        """Return the addresses kept for a mandate, or None when there are none."""
        row = await self._session.get(MandateContactRow, mandate_id)
        return Contacts(row.mandator_email, row.mandatary_email) if row else None

    async def due_for_reminder(
        self, today: date, horizon: date, limit: int
    ) -> list[str]:
        """Return signed mandates not yet reminded that end soon, by the horizon."""
        query = (
            select(MandateContactRow.mandate_id)
            .join(MandateRow, MandateRow.id == MandateContactRow.mandate_id)
            .where(
                MandateContactRow.reminder_enqueued_at.is_(None),
                MandateRow.state == State.SIGNED.value,
                MandateRow.end_date > today,
                MandateRow.end_date <= horizon,
            )
            .order_by(MandateRow.end_date, MandateContactRow.mandate_id)
            .limit(limit)
            # Two replicas running the job each take other mandates, so no
            # reminder is queued twice.
            .with_for_update(of=MandateContactRow, skip_locked=True)
        )
        return list((await self._session.execute(query)).scalars())

    async def mark_reminded(self, mandate_id: str, at: datetime) -> None:
        """Record that the end-date reminder was put in the outbox."""
        await self._session.execute(
            update(MandateContactRow)
            .where(MandateContactRow.mandate_id == mandate_id)
            .values(reminder_enqueued_at=at)
        )

    async def erase_settled(self, final_by: datetime, ended_by: date) -> int:
        """Erase addresses of mandates final since those moments; return how many."""
        settled = select(MandateRow.id).where(_settled(final_by, ended_by))
        result: Any = await self._session.execute(
            delete(MandateContactRow).where(MandateContactRow.mandate_id.in_(settled))
        )
        return int(result.rowcount)


def _settled(final_by: datetime, ended_by: date) -> Any:
    last_event = (
        select(func.max(MandateEventRow.at))
        .where(MandateEventRow.mandate_id == MandateRow.id)
        .scalar_subquery()
    )
    return or_(
        # Left unsigned: final on the day it expired, whether stored so or not.
        and_(MandateRow.state.in_(_UNSIGNED_STATES), MandateRow.expires_on <= ended_by),
        # Ended by its end date.
        and_(MandateRow.state == State.SIGNED.value, MandateRow.end_date <= ended_by),
        # Refused, withdrawn or stopped: final at that act, its last event.
        and_(MandateRow.state.in_(_FINAL_STATES), last_event <= final_by),
    )


class SqlOutbox:
    """The outbox table, written in the transaction of the change it tells about."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, mail: OutgoingMail) -> None:
        """Queue one message, due at once."""
        self._session.add(
            OutboxMessageRow(
                mandate_id=mail.mandate_id,
                kind=mail.kind.value,
                recipient=mail.recipient,
                language=mail.language.value,
                subject=mail.subject,
                text_body=mail.text,
                html_body=mail.html,
                message_id=mail.message_id,
                created_at=mail.created_at,
                attempts=0,
                next_attempt_at=mail.created_at,
            )
        )

    async def purge(self, settled_before: datetime) -> int:
        """Delete messages sent or given up before the instant; return how many."""
        result: Any = await self._session.execute(
            delete(OutboxMessageRow).where(
                or_(
                    OutboxMessageRow.sent_at < settled_before,
                    OutboxMessageRow.failed_at < settled_before,
                )
            )
        )
        return int(result.rowcount)
