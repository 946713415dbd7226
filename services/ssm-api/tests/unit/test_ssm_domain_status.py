from datetime import UTC, date, datetime, timedelta

import pytest

from ssm_api.domain.mandate import FINAL_STATUSES, Role, State, Status, Stop, status_on

from .ssm_domain_builders import (
    AN,
    JAN,
    JANE,
    NOW,
    TODAY,
    make_mandate,
    make_party,
    make_signed_mandate,
)

START = date(2026, 12, 10)
END = date(2027, 3, 10)
EXPIRY = date(2027, 1, 2)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(TODAY, Status.PENDING, id="created"),
        pytest.param(START, Status.PENDING, id="start-date"),
        pytest.param(EXPIRY - DAY, Status.PENDING, id="day-before-expiry"),
        pytest.param(EXPIRY, Status.EXPIRED, id="expiry-day"),
        pytest.param(EXPIRY + DAY * 400, Status.EXPIRED, id="long-after"),
    ],
)
def test_a_pending_mandate_expires_on_its_expiry_day(
    day: date, expected: Status
) -> None:
    status = status_on(State.PENDING, START, END, EXPIRY, day)

    assert status is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(TODAY, Status.SCHEDULED, id="signed-before-start"),
        pytest.param(START - DAY, Status.SCHEDULED, id="day-before-start"),
        pytest.param(START, Status.ACTIVE, id="start-date"),
        pytest.param(END - DAY, Status.ACTIVE, id="day-before-end"),
        pytest.param(END, Status.ENDED, id="end-date"),
        pytest.param(END + DAY * 400, Status.ENDED, id="long-after"),
    ],
)
def test_a_signed_mandate_is_active_from_its_start_until_its_end(
    day: date, expected: Status
) -> None:
    status = status_on(State.SIGNED, START, END, EXPIRY, day)

    assert status is expected


@pytest.mark.parametrize("day", [START, START + DAY * 36_500, date.max])
def test_a_signed_mandate_without_end_stays_active(day: date) -> None:
    status = status_on(State.SIGNED, START, None, EXPIRY, day)

    assert status is Status.ACTIVE


@pytest.mark.parametrize(
    "state", [State.REFUSED, State.WITHDRAWN, State.STOPPED, State.EXPIRED]
)
@pytest.mark.parametrize(
    "day", [date.min, TODAY, START - DAY, START, EXPIRY, END - DAY, END, date.max]
)
def test_a_final_state_is_its_status_whatever_the_day(state: State, day: date) -> None:
    status = status_on(state, START, END, EXPIRY, day)

    assert status.value == state.value
    assert status in FINAL_STATUSES


def test_ended_is_final_but_active_scheduled_and_pending_are_not() -> None:
    final = FINAL_STATUSES

    assert Status.ENDED in final
    assert not {Status.ACTIVE, Status.SCHEDULED, Status.PENDING} & final


def test_a_mandate_answers_its_status_with_its_own_dates() -> None:
    mandate = make_signed_mandate(start_date=START, end_date=END, expires_on=EXPIRY)

    statuses = [mandate.status_on(d) for d in (START - DAY, START, END - DAY, END)]

    assert statuses == [Status.SCHEDULED, Status.ACTIVE, Status.ACTIVE, Status.ENDED]


def test_each_role_has_the_other_as_opposite() -> None:
    roles = list(Role)

    opposites = [role.other for role in roles]

    assert opposites == [Role.MANDATARY, Role.MANDATOR]


def test_a_party_is_found_by_role_and_a_role_by_number() -> None:
    mandate = make_mandate()

    roles = [mandate.role_of(n) for n in (JAN, JANE, AN)]

    assert roles == [Role.MANDATOR, Role.MANDATARY, None]
    assert mandate.party(Role.MANDATOR) == make_party(JAN)
    assert mandate.party(Role.MANDATARY) == make_party(JANE)


def test_not_yet_signed_by_both_it_has_no_active_since() -> None:
    mandate = make_mandate()

    since = mandate.active_since

    assert since is None


def test_active_since_is_the_start_date_when_signed_before_it() -> None:
    mandate = make_signed_mandate(start_date=START, signed_at=NOW)

    since = mandate.active_since

    assert since == START


def test_active_since_is_the_brussels_date_of_a_signature_after_the_start() -> None:
    late_on_31_march = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    mandate = make_signed_mandate(
        created_at=datetime(2026, 3, 18, 9, 0, tzinfo=UTC),
        start_date=date(2026, 3, 20),
        signed_at=late_on_31_march,
    )

    since = mandate.active_since

    assert since == date(2026, 4, 1)


def test_a_mandate_stopped_before_its_start_was_never_active() -> None:
    mandate = make_signed_mandate(start_date=START, state=State.STOPPED)
    mandate.stop_ = Stop(datetime(2026, 12, 9, 11, 0, tzinfo=UTC), Role.MANDATOR, None)

    since = mandate.active_since

    assert since is None


@pytest.mark.parametrize(
    "stopped_at",
    [
        pytest.param(datetime(2026, 12, 10, 15, 0, tzinfo=UTC), id="on-the-start"),
        pytest.param(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), id="weeks-later"),
    ],
)
def test_a_mandate_stopped_once_usable_keeps_its_active_since(
    stopped_at: datetime,
) -> None:
    mandate = make_signed_mandate(start_date=START)
    mandate.stop_ = Stop(stopped_at, Role.MANDATARY, "verhuisd")

    since = mandate.active_since

    assert since == START


@pytest.mark.parametrize("end_date", [None, END])
def test_without_a_stop_the_effective_end_is_the_end_date(
    end_date: date | None,
) -> None:
    mandate = make_signed_mandate(start_date=START, end_date=end_date)

    effective = mandate.effective_end_date

    assert effective == end_date


@pytest.mark.parametrize(
    ("stopped_at", "expected"),
    [
        pytest.param(
            datetime(2026, 12, 31, 22, 30, tzinfo=UTC),
            date(2026, 12, 31),
            id="winter-evening",
        ),
        pytest.param(
            datetime(2027, 3, 31, 23, 30, tzinfo=UTC),
            date(2027, 4, 1),
            id="summer-night",
        ),
    ],
)
def test_a_stop_brings_the_end_forward_to_its_brussels_date(
    stopped_at: datetime, expected: date
) -> None:
    mandate = make_signed_mandate(start_date=START, end_date=date(2027, 6, 1))
    mandate.stop_ = Stop(stopped_at, Role.MANDATOR, None)

    effective = mandate.effective_end_date

    assert effective == expected
