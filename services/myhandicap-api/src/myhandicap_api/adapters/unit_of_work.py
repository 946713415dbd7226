"""The unit of work over one SQLAlchemy session."""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from myhandicap_api.adapters.repository import SqlAccessLog, SqlDossierRepository


class SqlUnitOfWork:
    """One session and transaction, committed only when told, else rolled back."""

    dossiers: SqlDossierRepository
    access_log: SqlAccessLog

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        """Open a session; its transaction begins with the first statement."""
        self._session = self._session_factory()
        self.dossiers = SqlDossierRepository(self._session)
        self.access_log = SqlAccessLog(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and close the session."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            await session.rollback()
        finally:
            await session.close()

    async def commit(self) -> None:
        """Make the work so far durable."""
        if self._session is None:
            msg = "commit outside the unit of work"
            raise RuntimeError(msg)
        await self._session.commit()
