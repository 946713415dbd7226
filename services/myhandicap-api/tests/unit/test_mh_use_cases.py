"""The use cases with in-memory fakes of their ports: no database, no network."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from myhandicap_api.domain.access import (
    AccessAction,
    AccessBasis,
    Actor,
    MandateAnswer,
    Outcome,
)
from myhandicap_api.domain.dossier import ApplicationKind, Person
from myhandicap_api.domain.errors import (
    AccessDeniedError,
    ApplicationNotFoundError,
    AuthorityUnavailableError,
)
from myhandicap_api.domain.people import PersonKind, RepresentedPerson
from myhandicap_api.service import dossiers, people

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
OWNER = "52090713336"
AN = Actor("78042304657", "An", "Ansoms")
BART = Actor(OWNER, "Bart", "Claes")
SOFIE = Actor("83012625041", "Sofie", "Verhaegen", "OCMW Gent", professional=True)
STRANGER = Actor("12121212376", "Jan", "Peters")


@dataclass
class Store:
    dossiers: dict = field(default_factory=dict)
    applications: list = field(default_factory=list)
    log: list = field(default_factory=list)


class FakeDossiers:
    def __init__(self, uow):
        self.uow = uow

    async def get(self, nrn):
        return self.uow.view("dossiers").get(nrn)

    async def ensure(self, owner):
        self.uow.pending["dossiers"].setdefault(owner.national_number, owner)

    async def add_application(self, application):
        self.uow.pending["applications"].append(application)

    async def applications(self, nrn):
        found = [
            a for a in self.uow.view("applications") if a.owner_national_number == nrn
        ]
        return sorted(found, key=lambda a: a.submitted_at, reverse=True)

    async def application(self, nrn, application_id):
        found = await self.applications(nrn)
        return next((a for a in found if a.id == application_id), None)


class FakeLog:
    def __init__(self, uow):
        self.uow = uow

    async def add(self, entry):
        self.uow.pending["log"].append(entry)

    async def entries(self, nrn):
        found = [e for e in self.uow.view("log") if e.owner_national_number == nrn]
        return list(reversed(found))


class FakeUnitOfWork:
    def __init__(self, store=None):
        self.store = store or Store()
        self.commits = 0

    async def __aenter__(self):
        self.pending = {"dossiers": {}, "applications": [], "log": []}
        self.dossiers = FakeDossiers(self)
        self.access_log = FakeLog(self)
        return self

    async def __aexit__(self, *exc_info):
        self.pending = {"dossiers": {}, "applications": [], "log": []}

    def view(self, name):
        committed, pending = getattr(self.store, name), self.pending[name]
        if isinstance(committed, dict):
            return {**pending, **committed}
        return committed + pending

    async def commit(self):
        self.commits += 1
        for name, pending in self.pending.items():
            committed = getattr(self.store, name)
            if isinstance(committed, dict):
                committed.update({**pending, **committed})
            else:
                committed.extend(pending)
        self.pending = {"dossiers": {}, "applications": [], "log": []}


class FakeAuthority:
    def __init__(self, mandates=None, *, down=False, search_down=False):
        self.mandates = mandates or {}
        self.down = down
        self.search_down = search_down
        self.questions = []

    async def evaluate(self, subject_nrn, resource_nrn):
        self.questions.append((subject_nrn, resource_nrn))
        if self.down:
            raise AuthorityUnavailableError("down")
        mandate = self.mandates.get((subject_nrn, resource_nrn))
        if mandate is None:
            return MandateAnswer(False, reason="no_mandate")
        return MandateAnswer(True, mandate_id=mandate.mandate_id)

    async def represented_persons(self, subject_nrn):
        if self.down or self.search_down:
            raise AuthorityUnavailableError("down")
        return [m for (s, _), m in self.mandates.items() if s == subject_nrn]


def bart_represented_by_an():
    person = RepresentedPerson("m-7", OWNER, "Bart", "Claes", date(2026, 1, 1), None)
    return FakeAuthority({(AN.national_number, OWNER): person})


async def test_the_owner_opens_an_empty_dossier_with_names_from_the_login():
    uow = FakeUnitOfWork()

    view = await dossiers.open_dossier(uow, FakeAuthority(), BART, OWNER, now=NOW)

    assert view.person == Person(OWNER, "Bart", "Claes")
    assert view.applications == []
    assert view.access.basis == AccessBasis.OWN
    assert [e.action for e in uow.store.log] == [AccessAction.OPEN_DOSSIER]


async def test_the_owner_and_professionals_never_ask_the_register():
    authority = FakeAuthority(down=True)

    await dossiers.open_dossier(FakeUnitOfWork(), authority, BART, OWNER, now=NOW)
    await dossiers.open_dossier(FakeUnitOfWork(), authority, SOFIE, OWNER, now=NOW)

    assert authority.questions == []


async def test_a_professional_sees_only_the_number_of_a_dossier_not_yet_made():
    view = await dossiers.open_dossier(
        FakeUnitOfWork(), FakeAuthority(), SOFIE, OWNER, now=NOW
    )

    assert view.person == Person(OWNER)
    assert view.access.basis == AccessBasis.PROFESSIONAL


async def test_a_mandatary_opens_with_the_mandate_and_the_registers_names():
    view = await dossiers.open_dossier(
        FakeUnitOfWork(), bart_represented_by_an(), AN, OWNER, now=NOW
    )

    assert (view.access.basis, view.access.mandate_id) == (AccessBasis.MANDATE, "m-7")
    assert view.person == Person(OWNER, "Bart", "Claes")


async def test_names_are_a_courtesy_when_the_search_fails_after_an_allow():
    authority = bart_represented_by_an()
    authority.search_down = True

    view = await dossiers.open_dossier(FakeUnitOfWork(), authority, AN, OWNER, now=NOW)

    assert view.person == Person(OWNER)
    assert view.access.mandate_id == "m-7"


async def test_a_refusal_is_committed_to_the_log_before_it_is_raised():
    uow = FakeUnitOfWork()

    with pytest.raises(AccessDeniedError) as caught:
        await dossiers.open_dossier(uow, FakeAuthority(), STRANGER, OWNER, now=NOW)

    assert caught.value.reason == "no_mandate"
    [entry] = uow.store.log
    assert (entry.outcome, entry.actor, entry.decision.basis) == (
        Outcome.DENIED,
        STRANGER,
        None,
    )


async def test_an_unavailable_register_refuses_and_is_recorded():
    uow = FakeUnitOfWork()

    with pytest.raises(AuthorityUnavailableError):
        await dossiers.list_applications(
            uow, FakeAuthority(down=True), AN, OWNER, now=NOW
        )

    assert [e.decision.reason for e in uow.store.log] == ["authority_unavailable"]


async def test_a_mandatary_submits_and_the_application_records_it():
    uow = FakeUnitOfWork()

    application = await dossiers.submit_application(
        uow,
        bart_represented_by_an(),
        AN,
        OWNER,
        kind=ApplicationKind.PARKING_CARD,
        note="blue card",
        now=NOW,
    )

    assert application.submitted_by == AN
    assert (application.basis, application.mandate_id) == (AccessBasis.MANDATE, "m-7")
    assert uow.store.dossiers[OWNER] == Person(OWNER, "Bart", "Claes")
    assert uow.store.applications == [application]
    assert [e.action for e in uow.store.log] == [AccessAction.SUBMIT_APPLICATION]


async def test_a_refused_submission_stores_no_application():
    uow = FakeUnitOfWork()

    with pytest.raises(AccessDeniedError):
        await dossiers.submit_application(
            uow,
            FakeAuthority(),
            STRANGER,
            OWNER,
            kind=ApplicationKind.PARKING_CARD,
            note=None,
            now=NOW,
        )

    assert uow.store.applications == []
    assert uow.store.dossiers == {}
    assert len(uow.store.log) == 1


async def test_applications_are_listed_and_read_one_by_one():
    uow = FakeUnitOfWork()
    submitted = await dossiers.submit_application(
        uow,
        FakeAuthority(),
        BART,
        OWNER,
        kind=ApplicationKind.PARKING_CARD,
        note=None,
        now=NOW,
    )

    listed = await dossiers.list_applications(
        uow, FakeAuthority(), SOFIE, OWNER, now=NOW
    )
    read = await dossiers.get_application(
        uow, FakeAuthority(), BART, OWNER, application_id=submitted.id, now=NOW
    )

    assert listed == [submitted]
    assert read == submitted


async def test_an_application_of_another_dossier_is_not_found_and_the_read_is_logged():
    uow = FakeUnitOfWork()
    submitted = await dossiers.submit_application(
        uow,
        FakeAuthority(),
        AN,
        AN.national_number,
        kind=ApplicationKind.PARKING_CARD,
        note=None,
        now=NOW,
    )

    with pytest.raises(ApplicationNotFoundError):
        await dossiers.get_application(
            uow, FakeAuthority(), BART, OWNER, application_id=submitted.id, now=NOW
        )

    assert uow.store.log[-1].action == AccessAction.READ_APPLICATION
    assert uow.store.log[-1].outcome == Outcome.ALLOWED


async def test_the_owner_reads_the_log_including_this_reading_and_refusals():
    uow = FakeUnitOfWork()
    with pytest.raises(AccessDeniedError):
        await dossiers.open_dossier(uow, FakeAuthority(), STRANGER, OWNER, now=NOW)

    entries = await dossiers.access_log(uow, BART, OWNER, now=NOW)

    assert [(e.action, e.outcome) for e in entries] == [
        (AccessAction.READ_ACCESS_LOG, Outcome.ALLOWED),
        (AccessAction.OPEN_DOSSIER, Outcome.DENIED),
    ]


async def test_a_mandatary_may_not_read_the_owners_log_and_the_attempt_is_logged():
    uow = FakeUnitOfWork()

    with pytest.raises(AccessDeniedError) as caught:
        await dossiers.access_log(uow, AN, OWNER, now=NOW)

    assert caught.value.reason == "access_log_restricted"
    assert [e.outcome for e in uow.store.log] == [Outcome.DENIED]


async def test_represented_persons_come_sorted_by_name():
    zed = RepresentedPerson("m-1", "49113020895", "Chantal", "Zeger", None, None)
    abe = RepresentedPerson("m-2", OWNER, "Bart", "Abeel", None, None)
    authority = FakeAuthority(
        {(AN.national_number, "a"): zed, (AN.national_number, "b"): abe}
    )

    persons = await people.represented_persons(authority, AN)

    assert [p.last_name for p in persons] == ["Abeel", "Zeger"]


def test_me_tells_the_kind_and_where_to_manage_mandates():
    described = people.me(SOFIE, "https://ssm.example/overview")

    assert described.kind == PersonKind.PROFESSIONAL
    assert described.organisation == "OCMW Gent"
    assert described.manage_mandates_url == "https://ssm.example/overview"
