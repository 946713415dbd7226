import uuid
from datetime import UTC, date, datetime

import pytest

from myhandicap_api.domain.access import AccessBasis, AccessDecision, Actor
from myhandicap_api.domain.dossier import (
    ApplicationKind,
    ApplicationStatus,
    new_application,
)
from myhandicap_api.domain.people import (
    PersonKind,
    RepresentedPerson,
    kind_of,
    sort_by_name,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def make_represented(first, last, mandate_id="m"):
    return RepresentedPerson(
        mandate_id, "52090713336", first, last, date(2026, 1, 1), None
    )


def test_represented_persons_sort_by_last_then_first_name_ignoring_accents_and_case():
    persons = [
        make_represented("Marc", "dupont"),
        make_represented("Élodie", "Lambert"),
        make_represented("Anna", "Dupont"),
        make_represented("Emma", "Lambert"),
        make_represented("Bart", "Claes"),
    ]

    ordered = sort_by_name(persons)

    assert [(p.first_name, p.last_name) for p in ordered] == [
        ("Bart", "Claes"),
        ("Anna", "Dupont"),
        ("Marc", "dupont"),
        ("Élodie", "Lambert"),
        ("Emma", "Lambert"),
    ]


def test_kind_tells_professionals_from_citizens():
    citizen = Actor("78042304657", "An", "Ansoms")
    professional = Actor("83012625041", "Sofie", "Verhaegen", "OCMW Gent", True)

    assert kind_of(citizen) == PersonKind.CITIZEN
    assert kind_of(professional) == PersonKind.PROFESSIONAL


def test_a_new_application_records_who_submitted_it_and_on_which_basis():
    actor = Actor("78042304657", "An", "Ansoms")
    decision = AccessDecision(True, AccessBasis.MANDATE, "m-1")

    application = new_application(
        "52090713336",
        ApplicationKind.PARKING_CARD,
        "note",
        actor=actor,
        decision=decision,
        now=NOW,
    )

    assert isinstance(application.id, uuid.UUID)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_by == actor
    assert (application.basis, application.mandate_id) == (AccessBasis.MANDATE, "m-1")
    assert application.submitted_at == NOW


def test_no_application_without_an_allowing_decision():
    actor = Actor("78042304657", "An", "Ansoms")

    with pytest.raises(ValueError, match="allowing"):
        new_application(
            "52090713336",
            ApplicationKind.PARKING_CARD,
            None,
            actor=actor,
            decision=AccessDecision(False, reason="no_mandate"),
            now=NOW,
        )
