"""The outbox as the dispatcher sees it: take due messages, record what became of them.

Each call is its own short transaction, so no lock is held while SMTP is spoken: on
SQLite every transaction takes the writer lock, on PostgreSQL rows would stay locked.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ssm_api.adapters.tables import OutboxMessageRow

Row = OutboxMessageRow
_UNSETTLED = (Row.sent_at.is_(None), Row.failed_at.is_(None))


@dataclass(frozen=True)
class QueuedMail:
    """A message taken from the outbox to be sent."""

    id: int
    kind: str
    recipient: str
    language: str
    subject: str
    text: str
    html: str
    message_id: str
    created_at: datetime
    attempts: int


@dataclass(frozen=True)
class Trouble:
    """A message given up or still being retried, without address or content."""

    id: int
    kind: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime


class OutboxQueue:
    """Due messages out, outcomes in; each step in a transaction of its own."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(
        self, now: datetime, limit: int, hold: timedelta
    ) -> list[QueuedMail]:
        """Take due messages, oldest first, hiding them from others for a while."""
        query = (
            select(Row)
            .where(*_UNSETTLED, Row.next_attempt_at <= now)
            .order_by(Row.next_attempt_at, Row.id)
            .limit(limit)
            # PostgreSQL: concurrent dispatchers skip rows another is taking.
            # SQLite ignores this; its writer lock serialises the claims instead.
            .with_for_update(skip_locked=True)
        )
        async with self._sessions() as session, session.begin():
            rows = (await session.execute(query)).scalars().all()
            for row in rows:
                # A dispatcher that dies holding them only delays them this long.
                row.next_attempt_at = now + hold
            return [_queued(row) for row in rows]

    async def mark_sent(self, mail_id: int, at: datetime) -> None:
        """Record that the SMTP server accepted the message."""
        await self._update(mail_id, sent_at=at)

    async def retry_later(
        self, mail_id: int, attempts: int, at: datetime, error: str
    ) -> None:
        """Record a failed attempt and when to try again."""
        await self._update(
            mail_id, attempts=attempts, next_attempt_at=at, last_error=error
        )

    async def give_up(
        self, mail_id: int, attempts: int, at: datetime, error: str
    ) -> None:
        """Record the last failed attempt; the message is not tried again."""
        await self._update(mail_id, attempts=attempts, failed_at=at, last_error=error)

    async def release(self, mail_ids: Sequence[int], at: datetime) -> None:
        """Hand back messages taken but not tried, due again at once."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(Row).where(Row.id.in_(mail_ids)).values(next_attempt_at=at)
            )

    async def backlog(self) -> int:
        """Count the messages neither sent nor given up."""
        async with self._sessions() as session:
            count = await session.scalar(select(func.count(Row.id)).where(*_UNSETTLED))
        return int(count or 0)

    async def troubles(self) -> list[Trouble]:
        """Return messages given up or failed at least once, oldest first."""
        query = (
            select(Row)
            .where(Row.sent_at.is_(None), Row.attempts > 0)
            .order_by(Row.created_at, Row.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).scalars().all()
        return [_trouble(row) for row in rows]

    async def _update(self, mail_id: int, **values: Any) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(update(Row).where(Row.id == mail_id).values(**values))


def _queued(row: Row) -> QueuedMail:
    return QueuedMail(
        id=row.id,
        kind=row.kind,
        recipient=row.recipient,
        language=row.language,
        subject=row.subject,
        text=row.text_body,
        html=row.html_body,
        message_id=row.message_id,
        created_at=row.created_at,
        attempts=row.attempts,
    )


def _trouble(row: Row) -> Trouble:
    return Trouble(
        id=row.id,
        kind=row.kind,
        status="failed" if row.failed_at is not None else "retrying",
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
    )
