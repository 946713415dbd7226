from datetime import UTC, date, datetime, timedelta

import pytest

from ssm_api.domain.errors import (
    ConditionsNotAcceptedError,
    InvalidInputError,
    PartyKindNotAllowedError,
    SelfMandateError,
)
from ssm_api.domain.mandate import (
    Event,
    EventKind,
    Mandate,
    Party,
    Role,
    Signature,
    State,
    Status,
    Terms,
    create_mandate,
)
from ssm_api.domain.types import Language, PartyKind

from .ssm_domain_builders import (
    JAN,
    JANE,
    NOW,
    PENDING_DAYS,
    TODAY,
    make_party,
    make_terms,
    make_type,
)

# 23:30 UTC on 31 March 2026 is already 1 April in Brussels (summer time).
LATE_ON_31_MARCH = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
BUSINESS = frozenset({PartyKind.NATURAL_PERSON, PartyKind.ENTERPRISE})
PERSONS = frozenset({PartyKind.NATURAL_PERSON})


def create(
    terms: Terms,
    *,
    initiator: Party | None = None,
    counterparty: Party | None = None,
    at: datetime = NOW,
) -> Mandate:
    return create_mandate(
        "m-1",
        terms,
        initiator or make_party(JANE),
        counterparty or make_party(JAN),
        at=at,
        method="itsme",
        pending_days=PENDING_DAYS,
    )


def test_an_initiator_who_helps_becomes_the_mandatary() -> None:
    terms = make_terms(initiator_role=Role.MANDATARY)

    mandate = create(terms)

    assert mandate.mandatary == make_party(JANE)
    assert mandate.mandator == make_party(JAN)
    assert mandate.initiator is Role.MANDATARY
    assert mandate.counterparty is Role.MANDATOR


def test_an_initiator_who_is_helped_becomes_the_mandator() -> None:
    terms = make_terms(initiator_role=Role.MANDATOR)

    mandate = create(terms)

    assert mandate.mandator == make_party(JANE)
    assert mandate.mandatary == make_party(JAN)
    assert mandate.initiator is Role.MANDATOR
    assert mandate.counterparty is Role.MANDATARY


def test_the_terms_are_kept_and_the_mandate_awaits_the_counterparty() -> None:
    terms = make_terms(
        start_date=TODAY + timedelta(days=3),
        end_date=TODAY + timedelta(days=400),
        reference="papa",
        language=Language.FR,
    )

    mandate = create(terms)

    assert mandate.id == "m-1"
    assert mandate.type_code == "MYHANDICAP"
    assert mandate.start_date == TODAY + timedelta(days=3)
    assert mandate.end_date == TODAY + timedelta(days=400)
    assert mandate.reference == "papa"
    assert mandate.language is Language.FR
    assert mandate.state is State.PENDING
    assert mandate.status_on(TODAY) is Status.PENDING
    assert mandate.stop_ is None
    assert mandate.created_at == NOW


@pytest.mark.parametrize("role", list(Role))
def test_creating_counts_as_the_initiators_signature(role: Role) -> None:
    terms = make_terms(initiator_role=role)

    mandate = create(terms)

    assert mandate.signatures == [Signature(role, NOW, "itsme")]
    assert mandate.active_since is None


@pytest.mark.parametrize("role", list(Role))
def test_a_created_event_names_the_initiator(role: Role) -> None:
    terms = make_terms(initiator_role=role)

    mandate = create(terms)

    assert mandate.new_events == [Event(EventKind.CREATED, NOW, role)]


@pytest.mark.parametrize(
    ("end_date", "expires_on"),
    [
        pytest.param(None, TODAY + timedelta(days=PENDING_DAYS), id="no-end"),
        pytest.param(
            TODAY + timedelta(days=365),
            TODAY + timedelta(days=PENDING_DAYS),
            id="end-after-the-period",
        ),
        pytest.param(
            TODAY + timedelta(days=PENDING_DAYS),
            TODAY + timedelta(days=PENDING_DAYS),
            id="end-on-the-last-day",
        ),
        pytest.param(
            TODAY + timedelta(days=10), TODAY + timedelta(days=10), id="end-sooner"
        ),
    ],
)
def test_it_expires_after_the_period_or_at_its_end_date_if_sooner(
    end_date: date | None, expires_on: date
) -> None:
    terms = make_terms(end_date=end_date)

    mandate = create(terms)

    assert mandate.expires_on == expires_on


def test_the_period_counts_from_todays_date_in_brussels() -> None:
    terms = make_terms(start_date=date(2026, 4, 1))

    mandate = create(terms, at=LATE_ON_31_MARCH)

    assert mandate.expires_on == date(2026, 4, 1) + timedelta(days=PENDING_DAYS)


def test_a_person_cannot_give_a_mandate_to_himself_or_herself() -> None:
    terms = make_terms()
    same_number = make_party(JANE, first_name="Janet")

    with pytest.raises(SelfMandateError) as caught:
        create(terms, counterparty=same_number)

    assert caught.value.field == "counterparty.national_number"


@pytest.mark.parametrize(
    "start_date",
    [
        pytest.param(TODAY, id="today"),
        pytest.param(TODAY + timedelta(days=1), id="tomorrow"),
        pytest.param(TODAY + timedelta(days=365), id="next-year"),
    ],
)
def test_it_may_start_today_or_later(start_date: date) -> None:
    terms = make_terms(start_date=start_date)

    mandate = create(terms)

    assert mandate.start_date == start_date


@pytest.mark.parametrize(
    "start_date",
    [
        pytest.param(TODAY - timedelta(days=1), id="yesterday"),
        pytest.param(TODAY - timedelta(days=365), id="last-year"),
    ],
)
def test_it_cannot_start_before_today(start_date: date) -> None:
    terms = make_terms(start_date=start_date)

    with pytest.raises(InvalidInputError) as caught:
        create(terms)

    assert caught.value.field == "start_date"


def test_today_is_the_date_in_brussels_not_in_utc() -> None:
    terms = make_terms(start_date=date(2026, 3, 31))

    with pytest.raises(InvalidInputError) as caught:
        create(terms, at=LATE_ON_31_MARCH)

    assert caught.value.field == "start_date"


@pytest.mark.parametrize(
    "end_date",
    [
        pytest.param(TODAY + timedelta(days=5), id="equal-to-start"),
        pytest.param(TODAY + timedelta(days=4), id="day-before-start"),
        pytest.param(TODAY, id="today-before-start"),
    ],
)
def test_the_end_date_must_lie_after_the_start_date(end_date: date) -> None:
    terms = make_terms(start_date=TODAY + timedelta(days=5), end_date=end_date)

    with pytest.raises(InvalidInputError) as caught:
        create(terms)

    assert caught.value.field == "end_date"


def test_an_end_date_the_day_after_the_start_is_accepted() -> None:
    terms = make_terms(start_date=TODAY, end_date=TODAY + timedelta(days=1))

    mandate = create(terms)

    assert mandate.end_date == TODAY + timedelta(days=1)
    assert mandate.expires_on == TODAY + timedelta(days=1)


def test_the_conditions_must_be_accepted() -> None:
    terms = make_terms(accept_conditions=False)

    with pytest.raises(ConditionsNotAcceptedError) as caught:
        create(terms)

    assert caught.value.field == "accept_conditions"


def test_an_enterprise_cannot_be_the_counterparty_of_a_myhandicap_mandate() -> None:
    terms = make_terms(initiator_role=Role.MANDATARY)
    enterprise = make_party(JAN, kind=PartyKind.ENTERPRISE)

    with pytest.raises(PartyKindNotAllowedError) as caught:
        create(terms, counterparty=enterprise)

    assert caught.value.field == "counterparty"


def test_a_type_without_enterprises_as_mandataries_refuses_one() -> None:
    mandate_type = make_type(
        code="TAXES", mandator_kinds=BUSINESS, mandatary_kinds=PERSONS
    )
    terms = make_terms(mandate_type=mandate_type, initiator_role=Role.MANDATOR)
    enterprise = make_party(JAN, kind=PartyKind.ENTERPRISE)

    with pytest.raises(PartyKindNotAllowedError) as caught:
        create(terms, counterparty=enterprise)

    assert caught.value.field == "counterparty"


def test_the_same_type_admits_an_enterprise_as_mandator() -> None:
    mandate_type = make_type(
        code="TAXES", mandator_kinds=BUSINESS, mandatary_kinds=PERSONS
    )
    terms = make_terms(mandate_type=mandate_type, initiator_role=Role.MANDATARY)
    enterprise = make_party(JAN, kind=PartyKind.ENTERPRISE)

    mandate = create(terms, counterparty=enterprise)

    assert mandate.mandator.kind is PartyKind.ENTERPRISE
    assert mandate.type_code == "TAXES"


def test_a_role_that_admits_no_natural_person_refuses_the_initiator() -> None:
    enterprises = frozenset({PartyKind.ENTERPRISE})
    mandate_type = make_type(mandator_kinds=enterprises, mandatary_kinds=BUSINESS)
    terms = make_terms(mandate_type=mandate_type, initiator_role=Role.MANDATOR)

    with pytest.raises(PartyKindNotAllowedError) as caught:
        create(terms)

    assert caught.value.field == "role"


def test_a_naive_creation_time_is_refused() -> None:
    terms = make_terms()
    naive = datetime(2026, 12, 3, 11, 0)  # noqa: DTZ001 - the refusal under test

    with pytest.raises(ValueError, match="time zone"):
        create(terms, at=naive)
