"""One database transaction over every store, committed only when told."""

from types import TracebackType
from typing import Self

import structlog
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ssm_api.adapters.repository import (
    SqlIdempotencyKeys,
    SqlMandates,
    SqlMandateTypes,
    SqlRateLimits,
)
from ssm_api.adapters.tables import IDEMPOTENCY_KEY_PK, OVERLAP_CONSTRAINT
from ssm_api.notifications.store import SqlContactBook, SqlOutbox
from ssm_api.service.errors import (
    ConcurrentChangeError,
    CreationRaceLostError,
    TransientConflictError,
)
from ssm_api.service.ports import Clock

log = structlog.get_logger(__name__)


def _lost_creation_race(error: IntegrityError) -> bool:
    message = str(error.orig)
    return OVERLAP_CONSTRAINT in message or IDEMPOTENCY_KEY_PK in message


def _is_transient(error: DBAPIError) -> bool:
    # deadlock_detected and serialization_failure: PostgreSQL asks to retry.
    return getattr(error.orig, "sqlstate", None) in {"40P01", "40001"}


class SqlUnitOfWork:
    """A session per use, rolled back unless the use case commits."""

    mandates: SqlMandates
    types: SqlMandateTypes
    idempotency: SqlIdempotencyKeys
    rate_limits: SqlRateLimits
    contacts: SqlContactBook
    outbox: SqlOutbox

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        session = self._sessions()
        self._session = session
        self.mandates = SqlMandates(session)
        self.types = SqlMandateTypes(session)
        self.idempotency = SqlIdempotencyKeys(session, self._clock.now())
        self.rate_limits = SqlRateLimits(session)
        self.contacts = SqlContactBook(session)
        self.outbox = SqlOutbox(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed, then close the session."""
        assert self._session is not None
        await self._session.rollback()
        await self._session.close()
        if isinstance(exc, StaleDataError):
            raise ConcurrentChangeError from exc
        if isinstance(exc, IntegrityError) and _lost_creation_race(exc):
            raise CreationRaceLostError from exc
        if isinstance(exc, DBAPIError) and _is_transient(exc):
            raise TransientConflictError from exc

    async def commit(self) -> None:
        """Keep the changes made in this transaction."""
        assert self._session is not None
        await self._session.commit()
