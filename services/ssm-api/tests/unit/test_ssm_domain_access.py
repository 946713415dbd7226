from datetime import date, timedelta

import pytest

from ssm_api.domain.access import AccessDecision, Candidate, DenialReason, decide_access
from ssm_api.domain.mandate import State

from .ssm_domain_builders import TODAY, make_candidate

DAY = timedelta(days=1)

ACTIVE = make_candidate(mandate_id="active")
SCHEDULED = make_candidate(mandate_id="scheduled", start_date=TODAY + DAY)
PENDING = make_candidate(
    mandate_id="pending", state=State.PENDING, expires_on=TODAY + DAY
)
STOPPED = make_candidate(mandate_id="stopped", state=State.STOPPED)
ENDED = make_candidate(mandate_id="ended", end_date=TODAY)
REFUSED = make_candidate(mandate_id="refused", state=State.REFUSED)


@pytest.mark.parametrize("end_date", [None, TODAY + DAY, date(2030, 1, 1)])
def test_an_active_signed_mandate_allows(end_date: date | None) -> None:
    candidate = make_candidate(mandate_id="m-7", end_date=end_date)

    decision = decide_access([candidate], TODAY)

    assert decision == AccessDecision(True, mandate_id="m-7", end_date=end_date)
    assert decision.reason is None


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        pytest.param(SCHEDULED, DenialReason.SCHEDULED, id="scheduled"),
        pytest.param(PENDING, DenialReason.PENDING, id="pending"),
        pytest.param(STOPPED, DenialReason.STOPPED, id="stopped"),
        pytest.param(ENDED, DenialReason.ENDED, id="ended"),
        pytest.param(REFUSED, DenialReason.NO_MANDATE, id="refused"),
        pytest.param(
            make_candidate(state=State.WITHDRAWN),
            DenialReason.NO_MANDATE,
            id="withdrawn",
        ),
        pytest.param(
            make_candidate(state=State.EXPIRED), DenialReason.NO_MANDATE, id="expired"
        ),
        pytest.param(
            make_candidate(state=State.PENDING, expires_on=TODAY),
            DenialReason.NO_MANDATE,
            id="pending-past-expiry",
        ),
    ],
)
def test_each_denial_says_why(candidate: Candidate, reason: DenialReason) -> None:
    decision = decide_access([candidate], TODAY)

    assert decision == AccessDecision(False, reason=reason)


def test_without_any_mandate_there_is_none() -> None:
    decision = decide_access([], TODAY)

    assert decision == AccessDecision(False, reason=DenialReason.NO_MANDATE)


@pytest.mark.parametrize(
    ("candidates", "reason"),
    [
        pytest.param(
            [REFUSED, ENDED, STOPPED, PENDING, SCHEDULED],
            DenialReason.SCHEDULED,
            id="scheduled-first",
        ),
        pytest.param([STOPPED, PENDING, ENDED], DenialReason.PENDING, id="pending"),
        pytest.param([ENDED, REFUSED, STOPPED], DenialReason.STOPPED, id="stopped"),
        pytest.param([REFUSED, ENDED], DenialReason.ENDED, id="ended"),
    ],
)
def test_the_most_telling_reason_wins(
    candidates: list[Candidate], reason: DenialReason
) -> None:
    decision = decide_access(candidates, TODAY)

    assert decision.reason is reason


def test_one_active_mandate_among_others_allows() -> None:
    candidates = [STOPPED, ENDED, SCHEDULED, ACTIVE, PENDING]

    decision = decide_access(candidates, TODAY)

    assert decision.allowed
    assert decision.mandate_id == "active"


def test_a_stopped_mandate_denies_even_on_a_day_before_its_stop() -> None:
    candidate = make_candidate(
        state=State.STOPPED, start_date=TODAY - 100 * DAY, end_date=TODAY + 100 * DAY
    )

    decision = decide_access([candidate], TODAY - 50 * DAY)

    assert decision.reason is DenialReason.STOPPED


def test_the_end_date_itself_denies_and_the_day_before_allows() -> None:
    candidate = make_candidate(end_date=TODAY)

    decisions = [decide_access([candidate], d).allowed for d in (TODAY - DAY, TODAY)]

    assert decisions == [True, False]


def test_the_start_date_itself_allows_and_the_day_before_denies() -> None:
    candidate = make_candidate(start_date=TODAY)

    decisions = [decide_access([candidate], d) for d in (TODAY - DAY, TODAY)]

    assert decisions[0].reason is DenialReason.SCHEDULED
    assert decisions[1].allowed
