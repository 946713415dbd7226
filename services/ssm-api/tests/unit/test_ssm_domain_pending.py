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
    Signature,
    State,
    Status,
)

from .ssm_domain_builders import (
    AN,
    JAN,
    JANE,
    LATER,
    NOW,
    TODAY,
    TOMORROW,
    make_mandate,
    make_signed_mandate,
    snapshot,
)


def test_the_counterparty_signs_a_pending_mandate() -> None:
    mandate = make_mandate()

    mandate.sign(JAN, LATER, "eid", accept=True)

    assert mandate.state is State.SIGNED
    assert mandate.signatures == [
        Signature(Role.MANDATARY, NOW, "itsme"),
        Signature(Role.MANDATOR, LATER, "eid"),
    ]
    assert mandate.new_events == [Event(EventKind.SIGNED, LATER, Role.MANDATOR)]
    assert mandate.status_on(TODAY) is Status.ACTIVE
    assert mandate.active_since == TODAY


def test_a_mandate_signed_before_its_start_is_scheduled() -> None:
    mandate = make_mandate(start_date=TODAY + timedelta(days=7))

    mandate.sign(JAN, LATER, "itsme", accept=True)

    assert mandate.status_on(TODAY) is Status.SCHEDULED
    assert mandate.active_since == TODAY + timedelta(days=7)


def test_the_initiator_cannot_sign_again() -> None:
    mandate = make_mandate()
    before = snapshot(mandate)

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.sign(JANE, LATER, "itsme", accept=True)

    assert (caught.value.action, caught.value.status) == ("sign", "pending")
    assert caught.value.reason == "Only the mandator may sign this mandate."
    assert snapshot(mandate) == before


@pytest.mark.parametrize("state", list(State))
def test_a_third_person_learns_nothing_about_the_mandate(state: State) -> None:
    mandate = make_mandate(state=state)
    before = snapshot(mandate)

    with pytest.raises(MandateNotFoundError):
        mandate.sign(AN, LATER, "eid", accept=True)

    assert snapshot(mandate) == before


def test_a_mandate_cannot_be_signed_twice() -> None:
    mandate = make_signed_mandate()

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.sign(JAN, LATER, "eid", accept=True)

    assert caught.value.status == Status.ACTIVE
    assert caught.value.reason == "The mandate is active; it cannot be signed."
    assert len(mandate.signatures) == 2


def test_an_expired_mandate_cannot_be_signed() -> None:
    mandate = make_mandate(expires_on=TODAY + timedelta(days=1))

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.sign(JAN, TOMORROW, "eid", accept=True)

    assert caught.value.status == Status.EXPIRED
    assert mandate.state is State.PENDING


def test_it_can_still_be_signed_on_the_day_before_expiry() -> None:
    mandate = make_mandate(expires_on=TODAY + timedelta(days=1))

    mandate.sign(JAN, NOW, "eid", accept=True)

    assert mandate.state is State.SIGNED


def test_expiry_is_judged_on_the_brussels_date() -> None:
    mandate = make_mandate(
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        start_date=date(2026, 3, 2),
        expires_on=date(2026, 4, 1),
    )
    half_past_midnight_in_brussels = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.sign(JAN, half_past_midnight_in_brussels, "eid", accept=True)

    assert caught.value.status == Status.EXPIRED


def test_signing_requires_the_conditions_to_be_accepted() -> None:
    mandate = make_mandate()
    before = snapshot(mandate)

    with pytest.raises(ConditionsNotAcceptedError) as caught:
        mandate.sign(JAN, LATER, "eid", accept=False)

    assert caught.value.field == "accept_conditions"
    assert snapshot(mandate) == before


@pytest.mark.parametrize("reason", ["ik ken deze persoon niet", None])
def test_the_counterparty_refuses_a_pending_mandate(reason: str | None) -> None:
    mandate = make_mandate()

    mandate.refuse(JAN, LATER, reason)

    assert mandate.state is State.REFUSED
    assert mandate.new_events == [
        Event(EventKind.REFUSED, LATER, Role.MANDATOR, reason)
    ]
    assert mandate.status_on(TODAY) is Status.REFUSED


def test_the_initiator_cannot_refuse() -> None:
    mandate = make_mandate()

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.refuse(JANE, LATER, None)

    assert caught.value.reason == "Only the mandator may refuse this mandate."
    assert mandate.state is State.PENDING


def test_the_counterparty_of_an_initiating_mandator_is_the_mandatary() -> None:
    mandate = make_mandate(initiator=Role.MANDATOR)

    mandate.refuse(JANE, LATER, None)

    assert mandate.new_events == [Event(EventKind.REFUSED, LATER, Role.MANDATARY)]


@pytest.mark.parametrize(
    ("mandate", "status"),
    [
        pytest.param(make_signed_mandate(), "active", id="signed"),
        pytest.param(make_mandate(expires_on=TODAY), "expired", id="expired"),
        pytest.param(make_mandate(state=State.WITHDRAWN), "withdrawn", id="withdrawn"),
    ],
)
def test_only_a_pending_mandate_can_be_refused(mandate: Mandate, status: str) -> None:
    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.refuse(JAN, LATER, None)

    assert caught.value.status == status
    assert caught.value.reason == f"The mandate is {status}; it cannot be refused."


def test_the_initiator_withdraws_a_pending_mandate() -> None:
    mandate = make_mandate()

    mandate.withdraw(JANE, LATER)

    assert mandate.state is State.WITHDRAWN
    assert mandate.new_events == [Event(EventKind.WITHDRAWN, LATER, Role.MANDATARY)]


def test_the_counterparty_cannot_withdraw() -> None:
    mandate = make_mandate()

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.withdraw(JAN, LATER)

    assert caught.value.reason == "Only the mandatary may withdraw this mandate."
    assert mandate.state is State.PENDING


def test_a_signed_mandate_cannot_be_withdrawn() -> None:
    mandate = make_signed_mandate()

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.withdraw(JANE, LATER)

    assert caught.value.reason == "The mandate is active; it cannot be withdrawn."
    assert mandate.state is State.SIGNED


def test_a_pending_mandate_expires_on_its_expiry_day() -> None:
    mandate = make_mandate(expires_on=TODAY + timedelta(days=1))

    mandate.expire(TOMORROW)

    assert mandate.state is State.EXPIRED
    assert mandate.new_events == [Event(EventKind.EXPIRED, TOMORROW, None)]


def test_a_pending_mandate_cannot_expire_before_its_expiry_day() -> None:
    mandate = make_mandate(expires_on=TODAY + timedelta(days=1))
    before = snapshot(mandate)

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.expire(NOW)

    assert (caught.value.action, caught.value.status) == ("expire", "pending")
    assert snapshot(mandate) == before


def test_a_signed_mandate_never_expires() -> None:
    mandate = make_signed_mandate(expires_on=TODAY)

    with pytest.raises(TransitionNotAllowedError) as caught:
        mandate.expire(TOMORROW)

    assert caught.value.status == "active"
    assert mandate.state is State.SIGNED


def test_an_expired_mandate_cannot_expire_again() -> None:
    mandate = make_mandate(state=State.EXPIRED, expires_on=TODAY)

    with pytest.raises(TransitionNotAllowedError):
        mandate.expire(TOMORROW)

    assert mandate.new_events == []
