from datetime import UTC, date, datetime, timedelta

import pytest

from ssm_api.domain.mandate import Mandate, Role, State
from ssm_api.domain.views import View, counts, in_view, view_of

from .ssm_domain_builders import (
    JAN,
    JANE,
    TODAY,
    make_mandate,
    make_signed_mandate,
)

DAY = timedelta(days=1)


def created(day: int) -> datetime:
    return datetime(2026, 11, day, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("initiator", "jane_sees", "jan_sees"),
    [
        (Role.MANDATARY, View.AWAITING_OTHER_PARTY, View.TO_SIGN),
        (Role.MANDATOR, View.TO_SIGN, View.AWAITING_OTHER_PARTY),
    ],
)
def test_a_pending_mandate_awaits_the_other_or_asks_for_a_signature(
    initiator: Role, jane_sees: View, jan_sees: View
) -> None:
    mandate = make_mandate(initiator=initiator)

    views = (view_of(mandate, JANE, TODAY), view_of(mandate, JAN, TODAY))

    assert views == (jane_sees, jan_sees)


@pytest.mark.parametrize(
    ("mandate", "expected"),
    [
        pytest.param(make_signed_mandate(), View.ACTIVE, id="active"),
        pytest.param(
            make_signed_mandate(start_date=TODAY + DAY), View.SCHEDULED, id="scheduled"
        ),
        pytest.param(make_signed_mandate(end_date=TODAY), View.HISTORY, id="ended"),
        pytest.param(make_mandate(state=State.STOPPED), View.HISTORY, id="stopped"),
        pytest.param(make_mandate(state=State.REFUSED), View.HISTORY, id="refused"),
        pytest.param(make_mandate(state=State.WITHDRAWN), View.HISTORY, id="withdrawn"),
        pytest.param(make_mandate(state=State.EXPIRED), View.HISTORY, id="expired"),
        pytest.param(
            make_mandate(expires_on=TODAY), View.HISTORY, id="pending-past-expiry"
        ),
    ],
)
def test_both_parties_see_a_mandate_past_pending_in_the_same_list(
    mandate: Mandate, expected: View
) -> None:
    views = {view_of(mandate, JANE, TODAY), view_of(mandate, JAN, TODAY)}

    assert views == {expected}


def test_a_list_holds_its_mandates_newest_first() -> None:
    mandates = [
        make_signed_mandate(id="middle", created_at=created(10)),
        make_mandate(id="pending", created_at=created(20)),
        make_signed_mandate(id="newest", created_at=created(15)),
        make_signed_mandate(id="oldest", created_at=created(1)),
        make_mandate(id="stopped", state=State.STOPPED, created_at=created(25)),
    ]

    active = in_view(mandates, JANE, TODAY, View.ACTIVE)

    assert [m.id for m in active] == ["newest", "middle", "oldest"]


def test_a_list_with_nothing_in_it_is_empty() -> None:
    mandates = [make_signed_mandate()]

    awaiting_transfer = in_view(mandates, JANE, TODAY, View.AWAITING_TRANSFER)

    assert awaiting_transfer == []


def test_counts_give_every_list_from_the_persons_side() -> None:
    mandates = [
        make_signed_mandate(id="a1"),
        make_signed_mandate(id="a2"),
        make_signed_mandate(id="s1", start_date=date(2027, 1, 1)),
        make_mandate(id="p1"),
        make_mandate(id="p2", initiator=Role.MANDATOR),
        make_mandate(id="p3", initiator=Role.MANDATOR),
        make_mandate(id="h1", state=State.REFUSED),
        make_signed_mandate(id="h2", end_date=TODAY),
    ]

    totals = counts(mandates, JANE, TODAY)

    assert totals == {
        View.ACTIVE: 2,
        View.TO_SIGN: 2,
        View.AWAITING_OTHER_PARTY: 1,
        View.AWAITING_TRANSFER: 0,
        View.SCHEDULED: 1,
        View.HISTORY: 2,
    }


def test_counts_of_no_mandates_are_all_zero() -> None:
    totals = counts([], JANE, TODAY)

    assert totals == dict.fromkeys(View, 0)
