from datetime import UTC, date, datetime, timedelta

import pytest

from ssm_api.domain.errors import (
    ConditionsNotAcceptedError,
    MandateNotFoundError,
    TransitionNotAllowedError,
)
from ssm_api.domain.mandate import (
    Event,
    EventKind,
    Mandate,
    Role,
    State,
    Status,
    Stop,
)
from ssm_api.domain.national_number import NationalNumber

from .ssm_domain_builders import (
    AN,
    JAN,
    JANE,
    LATER,
    TODAY,
    TOMORROW,
    make_mandate,
    make_signed_mandate,
    snapshot,
)


@pytest.mark.parametrize(("by", "role"), [(JAN, Role.MANDATOR), (JANE, Role.MANDATARY)])
@pytest.mark.parametrize(
    "start_date",
    [pytest.param(TODAY, id="active"), pytest.param(date(2027, 1, 1), id="scheduled")],
)
def test_either_party_stops_an_active_or_scheduled_mandate(
    by: NationalNumber, role: Role, start_date: date
) -> None:
    mandate = make_signed_mandate(start_date=start_date)

    mandate.stop(by, LATER, "verhuisd", accept=True)

    assert mandate.state is State.STOPPED
    assert mandate.stop_ == Stop(LATER, role, "verhuisd")
    assert mandate.new_events == [Event(EventKind.STOPPED, LATER, role, "verhuisd")]
    assert mandate.status_on(date(2027, 6, 1)) is Status.STOPPED


def test_the_end_of_a_stopped_mandate_is_the_brussels_date_of_the_stop() -> None:
    mandate = make_signed_mandate(
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        start_date=date(2026, 3, 2),
        end_date=date(2026, 9, 1),
    )

    mandate.stop(JANE, datetime(2026, 3, 31, 23, 30, tzinfo=UTC), None, accept=True)

    assert mandate.effective_end_date == date(2026, 4, 1)
    assert mandate.end_date == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("mandate", "status"),
    [
        pytest.param(make_mandate(), "pending", id="pending"),
        pytest.param(
            make_signed_mandate(end_date=TODAY + timedelta(days=1)), "ended", id="ended"
        ),
        pytest.param(make_mandate(state=State.REFUSED), "refused", id="refused"),
    ],
)
def test_only_an_active_or_scheduled_mandate_can_be_stopped(
    mandate: Mandate, status: str
) -> None:
    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.stop(JAN, TOMORROW, None, accept=True)

    assert (caught.value.action, caught.value.status) == ("stop", status)
    assert caught.value.reason == f"The mandate is {status}; it cannot be stopped."
    assert mandate.stop_ is None


def test_a_mandate_cannot_be_stopped_twice() -> None:
    mandate = make_signed_mandate()
    mandate.stop(JAN, LATER, "eerste", accept=True)

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.stop(JANE, LATER + timedelta(minutes=1), "tweede", accept=True)

    assert caught.value.status == Status.STOPPED
    assert mandate.stop_ == Stop(LATER, Role.MANDATOR, "eerste")
    assert len(mandate.new_events) == 1


def test_stopping_requires_the_conditions_to_be_accepted() -> None:
    mandate = make_signed_mandate()
    before = snapshot(mandate)

    with pytest.raises(ConditionsNotAcceptedError):
        mandate.stop(JAN, LATER, None, accept=False)

    assert snapshot(mandate) == before


def test_a_third_person_cannot_stop() -> None:
    mandate = make_signed_mandate()

    with pytest.raises(MandateNotFoundError):
        mandate.stop(AN, LATER, None, accept=True)

    assert mandate.state is State.SIGNED


def test_events_are_appended_in_order_with_who_acted() -> None:
    mandate = make_mandate()

    mandate.sign(JAN, LATER, "eid", accept=True)
    mandate.stop(JANE, TOMORROW, "niet meer nodig", accept=True)

    assert mandate.new_events == [
        Event(EventKind.SIGNED, LATER, Role.MANDATOR),
        Event(EventKind.STOPPED, TOMORROW, Role.MANDATARY, "niet meer nodig"),
    ]
