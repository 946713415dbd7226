"""Demo dossiers for people of the development register, loaded idempotently.

The people come from the identity provider's `GET /dev/persons`, over HTTP, so the
service depends on no code of the stub. Who gets which applications is decided by
name, since the register, not this module, owns the national numbers.
"""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx
import structlog
from pydantic import BaseModel, ConfigDict, TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from myhandicap_api.adapters.unit_of_work import SqlUnitOfWork
from myhandicap_api.domain.access import AccessBasis, Actor
from myhandicap_api.domain.dossier import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Person,
)

Kind, Status = ApplicationKind, ApplicationStatus
Plan = tuple[tuple[ApplicationKind, ApplicationStatus, int], ...]

# Per person: (kind, status, days ago). Jane Doe and Jan Peters are the manual's
# two people; the other four are the people An Ansoms helps.
DEMO_PLAN: dict[tuple[str, str], Plan] = {
    ("Jane", "Doe"): (
        (Kind.INCOME_REPLACEMENT_ALLOWANCE, Status.IN_REVIEW, 40),
        (Kind.PARKING_CARD, Status.DECIDED, 120),
    ),
    ("Jan", "Peters"): ((Kind.INTEGRATION_ALLOWANCE, Status.SUBMITTED, 5),),
    ("Bart", "Claes"): (
        (Kind.ASSISTANCE_TO_ELDERLY_ALLOWANCE, Status.IN_REVIEW, 30),
        (Kind.PARKING_CARD, Status.SUBMITTED, 3),
    ),
    ("Chantal", "Dubois"): (
        (Kind.ASSISTANCE_TO_ELDERLY_ALLOWANCE, Status.DECIDED, 200),
    ),
    ("Emma", "Goossens"): (
        (Kind.INTEGRATION_ALLOWANCE, Status.REJECTED, 90),
        (Kind.SOCIAL_AND_TAX_ADVANTAGES, Status.SUBMITTED, 2),
    ),
    ("Hendrik", "Willems"): (
        (Kind.ASSISTANCE_TO_ELDERLY_ALLOWANCE, Status.IN_REVIEW, 15),
    ),
}
# Fixed ids make a second run recognise what the first one made.
_ID_NAMESPACE = uuid.UUID("6f1c3a52-0d7e-4c9b-9a43-2b8e5f0d1c77")

log = structlog.get_logger(__name__)


class DemoPerson(BaseModel):
    """A person record of the development register, as far as the seed needs it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    national_number: str
    first_name: str
    last_name: str


_PERSONS = TypeAdapter(list[DemoPerson])


async def fetch_persons(
    client: httpx.AsyncClient, idp_url: str, *, attempts: int = 20
) -> list[DemoPerson]:
    """Read the demo register from the identity provider, waiting for it to start."""
    url = idp_url.rstrip("/") + "/dev/persons"
    for _ in range(attempts - 1):
        try:
            return await _get_persons(client, url)
        except httpx.ConnectError:
            await asyncio.sleep(0.5)
    return await _get_persons(client, url)


async def _get_persons(client: httpx.AsyncClient, url: str) -> list[DemoPerson]:
    response = await client.get(url)
    response.raise_for_status()
    return _PERSONS.validate_python(response.json())


async def seed_demo(
    session_factory: async_sessionmaker[AsyncSession],
    persons: Sequence[DemoPerson],
    now: datetime,
) -> int:
    """Create the planned dossiers that do not exist yet; return how many."""
    created = 0
    for person in persons:
        plan = DEMO_PLAN.get((person.first_name, person.last_name))
        if plan is not None and await _seed_one(session_factory, person, plan, now):
            created += 1
    log.info("seed.loaded", dossiers_created=created)
    return created


async def _seed_one(
    session_factory: async_sessionmaker[AsyncSession],
    person: DemoPerson,
    plan: Plan,
    now: datetime,
) -> bool:
    async with SqlUnitOfWork(session_factory) as uow:
        if await uow.dossiers.get(person.national_number) is not None:
            return False
        owner = Person(person.national_number, person.first_name, person.last_name)
        await uow.dossiers.ensure(owner)
        for index, step in enumerate(plan):
            await uow.dossiers.add_application(_application(person, index, step, now))
        await uow.commit()
    return True


def _application(
    person: DemoPerson,
    index: int,
    step: tuple[ApplicationKind, ApplicationStatus, int],
    now: datetime,
) -> Application:
    kind, status, days_ago = step
    owner = Actor(person.national_number, person.first_name, person.last_name)
    return Application(
        id=uuid.uuid5(_ID_NAMESPACE, f"{person.national_number}/{index}"),
        owner_national_number=person.national_number,
        kind=kind,
        status=status,
        note=None,
        submitted_at=now - timedelta(days=days_ago),
        submitted_by=owner,
        basis=AccessBasis.OWN,
        mandate_id=None,
    )
