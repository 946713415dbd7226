from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ssm_api.domain.calendar import BRUSSELS, brussels_date


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        pytest.param(utc(2026, 12, 31, 22, 30), date(2026, 12, 31), id="winter-23h30"),
        pytest.param(utc(2026, 12, 31, 22, 59), date(2026, 12, 31), id="winter-23h59"),
        pytest.param(utc(2026, 12, 31, 23, 0), date(2027, 1, 1), id="winter-midnight"),
        pytest.param(utc(2026, 12, 31, 23, 30), date(2027, 1, 1), id="new-year"),
        pytest.param(utc(2026, 1, 15, 0, 0), date(2026, 1, 15), id="winter-1h"),
        pytest.param(utc(2026, 3, 31, 21, 30), date(2026, 3, 31), id="summer-23h30"),
        pytest.param(utc(2026, 3, 31, 21, 59), date(2026, 3, 31), id="summer-23h59"),
        pytest.param(utc(2026, 3, 31, 22, 0), date(2026, 4, 1), id="summer-midnight"),
        pytest.param(utc(2026, 3, 31, 23, 30), date(2026, 4, 1), id="summer-1h30"),
        pytest.param(utc(2026, 7, 1, 12, 0), date(2026, 7, 1), id="summer-noon"),
    ],
)
def test_the_date_is_the_one_on_brussels_clocks(
    instant: datetime, expected: date
) -> None:
    day = brussels_date(instant)

    assert day == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Sunday 29 March 2026: at 01:00 UTC clocks jump from 02:00 to 03:00.
        pytest.param(utc(2026, 3, 28, 22, 59), date(2026, 3, 28), id="sat-23h59-cet"),
        pytest.param(utc(2026, 3, 28, 23, 0), date(2026, 3, 29), id="sun-00h00-cet"),
        pytest.param(utc(2026, 3, 29, 0, 59), date(2026, 3, 29), id="sun-01h59-cet"),
        pytest.param(utc(2026, 3, 29, 1, 0), date(2026, 3, 29), id="sun-03h00-cest"),
        pytest.param(utc(2026, 3, 29, 21, 59), date(2026, 3, 29), id="sun-23h59-cest"),
        pytest.param(utc(2026, 3, 29, 22, 0), date(2026, 3, 30), id="mon-00h00-cest"),
        # Sunday 25 October 2026: at 01:00 UTC clocks fall back from 03:00 to 02:00.
        pytest.param(utc(2026, 10, 24, 21, 59), date(2026, 10, 24), id="sat-23h59"),
        pytest.param(utc(2026, 10, 24, 22, 0), date(2026, 10, 25), id="sun-00h00"),
        pytest.param(utc(2026, 10, 25, 0, 30), date(2026, 10, 25), id="sun-02h30-1st"),
        pytest.param(utc(2026, 10, 25, 1, 30), date(2026, 10, 25), id="sun-02h30-2nd"),
        pytest.param(utc(2026, 10, 25, 22, 59), date(2026, 10, 25), id="sun-23h59-cet"),
        pytest.param(utc(2026, 10, 25, 23, 0), date(2026, 10, 26), id="mon-00h00-cet"),
    ],
)
def test_the_nights_of_the_clock_changes(instant: datetime, expected: date) -> None:
    day = brussels_date(instant)

    assert day == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        pytest.param(
            datetime(2026, 3, 31, 19, 30, tzinfo=timezone(timedelta(hours=-5))),
            date(2026, 4, 1),
            id="new-york-evening",
        ),
        pytest.param(
            datetime(2026, 1, 1, 5, 0, tzinfo=timezone(timedelta(hours=14))),
            date(2025, 12, 31),
            id="kiribati-morning",
        ),
        pytest.param(
            datetime(2026, 7, 1, 0, 15, tzinfo=BRUSSELS),
            date(2026, 7, 1),
            id="already-brussels",
        ),
    ],
)
def test_any_time_zone_is_converted(instant: datetime, expected: date) -> None:
    day = brussels_date(instant)

    assert day == expected


def test_a_naive_instant_is_refused() -> None:
    naive = datetime(2026, 3, 31, 23, 30)  # noqa: DTZ001 - the refusal under test

    with pytest.raises(ValueError, match="time zone"):
        brussels_date(naive)
