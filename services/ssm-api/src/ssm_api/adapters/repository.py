"""SQLAlchemy implementations of the use cases' stores."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from ssm_api.adapters import mapping
from ssm_api.adapters.tables import (
    IdempotencyKeyRow,
    MandateEventRow,
    MandateRow,
    MandateTypeRow,
    SearchAttemptRow,
)
from ssm_api.domain.access import Candidate
from ssm_api.domain.calendar import brussels_date
from ssm_api.domain.mandate import Event, Mandate, State
from ssm_api.domain.national_number import NationalNumber
from ssm_api.domain.types import MandateType
from ssm_api.service.ports import IdempotentRequest, Represented


class SqlMandates:
    """Mandates in the SQL database, tracked in one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: dict[str, MandateRow] = {}

    async def get(self, mandate_id: str, *, for_update: bool = False) -> Mandate | None:
        """Return the mandate, locked against concurrent change when asked."""
        query = select(MandateRow).where(MandateRow.id == mandate_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).scalar_one_or_none()
        if row is None:
            return None
        self._rows[row.id] = row
        return mapping.mandate(row)

    async def add(self, mandate: Mandate) -> None:
        """Store a new mandate with its first events."""
        row = mapping.new_row(mandate)
        self._session.add(row)
        await self._session.flush()
        self._rows[row.id] = row
        self._session.add_all(mapping.event_rows(mandate))

    async def save(self, mandate: Mandate) -> None:
        """Store a mandate's new state and new events."""
        row = self._rows[mandate.id]
        mapping.update_row(row, mandate)
        self._session.add_all(mapping.event_rows(mandate))
        await self._session.flush()

    async def of_person(self, national_number: NationalNumber) -> list[Mandate]:
        """Return every mandate in which the person is a party."""
        nrn = national_number.value
        query = select(MandateRow).where(
            or_(MandateRow.mandator_nrn == nrn, MandateRow.mandatary_nrn == nrn)
        )
        rows = (await self._session.execute(query)).scalars().all()
        return [mapping.mandate(r) for r in rows]

    async def open_between(
        self, type_code: str, mandator: NationalNumber, mandatary: NationalNumber
    ) -> list[Mandate]:
        """Return the pending and signed mandates of a type between two persons."""
        query = select(MandateRow).where(
            MandateRow.type_code == type_code,
            MandateRow.mandator_nrn == mandator.value,
            MandateRow.mandatary_nrn == mandatary.value,
            MandateRow.state.in_([State.PENDING.value, State.SIGNED.value]),
        )
        rows = (await self._session.execute(query)).scalars().all()
        self._rows.update({r.id: r for r in rows})
        return [mapping.mandate(r) for r in rows]

    async def events(self, mandate_id: str) -> list[Event]:
        """Return a mandate's history, oldest first."""
        query = (
            select(MandateEventRow)
            .where(MandateEventRow.mandate_id == mandate_id)
            .order_by(MandateEventRow.at, MandateEventRow.id)
        )
        rows = (await self._session.execute(query)).scalars().all()
        return [mapping.event(r) for r in rows]

    async def access_candidates(
        self, type_code: str, mandatary: str, mandator: str
    ) -> list[Candidate]:
        """Return the few columns a decision needs, without loading mandates."""
        query = select(
            MandateRow.id,
            MandateRow.state,
            MandateRow.start_date,
            MandateRow.end_date,
            MandateRow.expires_on,
        ).where(
            MandateRow.mandatary_nrn == mandatary,
            MandateRow.type_code == type_code,
            MandateRow.mandator_nrn == mandator,
        )
        result = await self._session.execute(query)
        return [
            Candidate(
                row.id, State(row.state), row.start_date, row.end_date, row.expires_on
            )
            for row in result
        ]

    async def represented_by(
        self,
        type_code: str,
        mandatary: str,
        day: date,
        after: tuple[str, ...] | None,
        limit: int,
    ) -> list[Represented]:
        """Return persons the mandatary may act for on the day, by name, after a key."""
        order = (
            MandateRow.mandator_last_name,
            MandateRow.mandator_first_name,
            MandateRow.id,
        )
        query = (
            select(
                MandateRow.mandator_nrn,
                MandateRow.mandator_first_name,
                MandateRow.mandator_last_name,
                MandateRow.id,
                MandateRow.start_date,
                MandateRow.end_date,
                MandateRow.mandator_signed_at,
                MandateRow.mandatary_signed_at,
            )
            .where(
                MandateRow.mandatary_nrn == mandatary,
                MandateRow.type_code == type_code,
                MandateRow.state == State.SIGNED.value,
                MandateRow.start_date <= day,
                or_(MandateRow.end_date.is_(None), MandateRow.end_date > day),
            )
            .order_by(*order)
            .limit(limit)
        )
        if after is not None:
            query = query.where(tuple_(*order) > tuple_(*after))
        result = await self._session.execute(query)
        return [_represented(row) for row in result]


def _represented(row: Any) -> Represented:  # a result row of the query above
    signed = [at for at in (row.mandator_signed_at, row.mandatary_signed_at) if at]
    return Represented(
        national_number=row.mandator_nrn,
        first_name=row.mandator_first_name,
        last_name=row.mandator_last_name,
        mandate_id=row.id,
        start_date=row.start_date,
        end_date=row.end_date,
        active_since=max(row.start_date, *(brussels_date(at) for at in signed)),
    )


class SqlMandateTypes:
    """The catalogue of mandate types, as rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, code: str) -> MandateType | None:
        """Return the type with this code, or None."""
        row = await self._session.get(MandateTypeRow, code)
        return mapping.mandate_type(row) if row else None

    async def all(self) -> list[MandateType]:
        """Return every type, by code."""
        query = select(MandateTypeRow).order_by(MandateTypeRow.code)
        rows = (await self._session.execute(query)).scalars().all()
        return [mapping.mandate_type(r) for r in rows]


class SqlIdempotencyKeys:
    """Remembered creations under Idempotency-Key headers."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self._session = session
        self._now = now

    async def find(self, caller: str, key: str) -> tuple[str, str] | None:
        """Return (fingerprint, mandate id) stored under the caller's key."""
        row = await self._session.get(IdempotencyKeyRow, (caller, key))
        return (row.fingerprint, row.mandate_id) if row else None

    async def remember(self, request: IdempotentRequest, mandate_id: str) -> None:
        """Store the mandate made under the caller's key."""
        self._session.add(
            IdempotencyKeyRow(
                caller=request.caller,
                key=request.key,
                fingerprint=request.fingerprint,
                mandate_id=mandate_id,
                created_at=self._now,
            )
        )


class SqlRateLimits:
    """A sliding window of attempts per caller, shared by every replica."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def hit(self, caller: str, at: datetime, limit: int, window: float) -> float:
        """Count an attempt; return 0 when allowed, else seconds until the next one."""
        since = at - timedelta(seconds=window)
        # Everyone's expired attempts go, not only the caller's: the table holds no
        # more than one window of searches, however many people ever searched.
        await self._session.execute(
            delete(SearchAttemptRow).where(SearchAttemptRow.attempted_at <= since)
        )
        query = select(
            func.count(SearchAttemptRow.id), func.min(SearchAttemptRow.attempted_at)
        ).where(SearchAttemptRow.caller == caller)
        count, oldest = (await self._session.execute(query)).one()
        if count >= limit:
            oldest_at = mapping.as_utc(oldest)
            return max((oldest_at - since).total_seconds(), 1.0)
        self._session.add(SearchAttemptRow(caller=caller, attempted_at=at))
        return 0.0
