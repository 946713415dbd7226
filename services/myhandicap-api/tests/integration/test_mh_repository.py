"""The SQLAlchemy repository and unit of work on SQLite and PostgreSQL."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta, timezone

import anyio
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from myhandicap_api.adapters.unit_of_work import SqlUnitOfWork
from myhandicap_api.domain.access import (
    AccessAction,
    AccessBasis,
    AccessDecision,
    AccessLogEntry,
    Actor,
)
from myhandicap_api.domain.dossier import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Person,
)
from myhandicap_api.migrations import upgrade
from service_kit.db import create_engine

pytestmark = pytest.mark.anyio

BART = Person("52090713336", "Bart", "Claes")
AN = Actor("78042304657", "An", "Ansoms")
SOFIE = Actor("83012625041", "Sofie", "Verhaegen", "OCMW Gent", professional=True)
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
async def sessions(empty_database_url):
    await anyio.to_thread.run_sync(upgrade, empty_database_url)
    engine = create_engine(empty_database_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


def make_application(**overrides):
    values = {
        "id": uuid.uuid4(),
        "owner_national_number": BART.national_number,
        "kind": ApplicationKind.PARKING_CARD,
        "status": ApplicationStatus.SUBMITTED,
        "note": "note",
        "submitted_at": NOW,
        "submitted_by": AN,
        "basis": AccessBasis.MANDATE,
        "mandate_id": "m-1",
    }
    return Application(**(values | overrides))


async def test_a_dossier_is_made_once_and_keeps_its_first_names(sessions):
    async with SqlUnitOfWork(sessions) as uow:
        await uow.dossiers.ensure(BART)
        await uow.dossiers.ensure(Person(BART.national_number))
        await uow.commit()

    async with SqlUnitOfWork(sessions) as uow:
        assert await uow.dossiers.get(BART.national_number) == BART
        assert await uow.dossiers.get("12121212376") is None


async def test_two_first_applications_at_once_make_one_dossier(sessions):
    async def submit():
        async with SqlUnitOfWork(sessions) as uow:
            await uow.dossiers.ensure(BART)
            await uow.dossiers.add_application(make_application(id=uuid.uuid4()))
            await uow.commit()

    await asyncio.gather(submit(), submit())

    async with SqlUnitOfWork(sessions) as uow:
        assert len(await uow.dossiers.applications(BART.national_number)) == 2


async def test_applications_round_trip_in_utc_newest_first(sessions):
    older = make_application(submitted_at=NOW - timedelta(days=1), submitted_by=SOFIE)
    newer = make_application(basis=AccessBasis.OWN, mandate_id=None)
    async with SqlUnitOfWork(sessions) as uow:
        await uow.dossiers.ensure(BART)
        await uow.dossiers.add_application(older)
        await uow.dossiers.add_application(newer)
        await uow.commit()

    async with SqlUnitOfWork(sessions) as uow:
        found = await uow.dossiers.applications(BART.national_number)
        one = await uow.dossiers.application(BART.national_number, older.id)
        elsewhere = await uow.dossiers.application("12121212376", older.id)

    assert found == [newer, older]
    assert found[0].submitted_at.tzinfo == UTC
    assert one == older
    assert elsewhere is None


async def test_work_not_committed_is_rolled_back(sessions):
    async with SqlUnitOfWork(sessions) as uow:
        await uow.dossiers.ensure(BART)

    async with SqlUnitOfWork(sessions) as uow:
        assert await uow.dossiers.get(BART.national_number) is None


async def test_the_access_log_keeps_refusals_newest_first(sessions):
    allowed = AccessDecision(True, AccessBasis.PROFESSIONAL)
    denied = AccessDecision(False, reason="stopped")
    entries = [
        AccessLogEntry(
            BART.national_number, SOFIE, AccessAction.OPEN_DOSSIER, allowed, NOW
        ),
        AccessLogEntry(
            BART.national_number, AN, AccessAction.LIST_APPLICATIONS, denied, NOW
        ),
    ]
    async with SqlUnitOfWork(sessions) as uow:
        for entry in entries:
            await uow.access_log.add(entry)
        await uow.commit()

    async with SqlUnitOfWork(sessions) as uow:
        found = await uow.access_log.entries(BART.national_number)

    assert found == list(reversed(entries))
    assert found[0].decision == denied


async def test_the_database_refuses_a_kind_it_does_not_know(sessions):
    async with SqlUnitOfWork(sessions) as uow:
        await uow.dossiers.ensure(BART)
        await uow.commit()

    async with sessions() as session:
        with pytest.raises(IntegrityError):
            await session.execute(
                text(
                    "INSERT INTO application (id, dossier_national_number, kind,"
                    " status, submitted_at, submitted_by_national_number,"
                    " submitted_by_first_name, submitted_by_last_name,"
                    " submitted_by_professional, basis) VALUES (:id, :nrn, 'holiday',"
                    " 'submitted', :now, :nrn, 'a', 'b', false, 'own')"
                ),
                {"id": uuid.uuid4().hex, "nrn": BART.national_number, "now": NOW},
            )
