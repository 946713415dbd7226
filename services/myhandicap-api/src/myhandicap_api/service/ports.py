"""What the use cases need from the outside world, as protocols."""

import uuid
from types import TracebackType
from typing import Protocol, Self

from myhandicap_api.domain.access import AccessLogEntry, MandateAnswer
from myhandicap_api.domain.dossier import Application, Person
from myhandicap_api.domain.people import RepresentedPerson


class DossierRepository(Protocol):
    """Dossiers and their applications."""

    async def get(self, national_number: str) -> Person | None:
        """Return the owner of the dossier, or None when there is no dossier yet."""
        ...

    async def ensure(self, owner: Person) -> None:
        """Create the dossier unless it exists; keep an existing one as it is."""
        ...

    async def add_application(self, application: Application) -> None:
        """Add an application to its owner's dossier, which must exist."""
        ...

    async def applications(self, national_number: str) -> list[Application]:
        """Return the dossier's applications, newest first."""
        ...

    async def application(
        self, national_number: str, application_id: uuid.UUID
    ) -> Application | None:
        """Return one application of the dossier, or None."""
        ...


class AccessLog(Protocol):
    """The record of every attempt to act on a dossier."""

    async def add(self, entry: AccessLogEntry) -> None:
        """Record one attempt."""
        ...

    async def entries(self, national_number: str) -> list[AccessLogEntry]:
        """Return the attempts on a dossier, newest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction: committed only when told, rolled back otherwise."""

    @property
    def dossiers(self) -> DossierRepository:
        """Return the dossiers seen in this transaction."""
        ...

    @property
    def access_log(self) -> AccessLog:
        """Return the access log seen in this transaction."""
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Make the work so far durable."""
        ...


class AccessAuthority(Protocol):
    """The mandate register that says who may act for whom (SSM).

    Both methods raise AuthorityUnavailableError when no trustworthy answer came.
    """

    async def evaluate(self, subject_nrn: str, resource_nrn: str) -> MandateAnswer:
        """Say whether the subject may act for the resource's person now."""
        ...

    async def represented_persons(self, subject_nrn: str) -> list[RepresentedPerson]:
        """List everyone the subject may act for now."""
        ...
