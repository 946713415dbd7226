from datetime import UTC, datetime

from myhandicap_api.domain.access import (
    AccessAction,
    AccessBasis,
    AccessDecision,
    AccessLogEntry,
    Actor,
    DenialReason,
    MandateAnswer,
    Outcome,
    decide_access,
    decide_access_log,
    needs_mandate,
)

OWNER = "52090713336"
HELPER = "78042304657"


def make_actor(nrn=HELPER, **overrides):
    values = {"national_number": nrn, "first_name": "An", "last_name": "Ansoms"}
    return Actor(**(values | overrides))


def make_professional():
    return make_actor(
        "83012625041", first_name="Sofie", organisation="OCMW Gent", professional=True
    )


def test_the_owner_opens_his_own_dossier_without_a_mandate():
    owner = make_actor(OWNER)

    decision = decide_access(owner, OWNER, None)

    assert decision == AccessDecision(True, AccessBasis.OWN)
    assert not needs_mandate(owner, OWNER)


def test_a_professional_opens_any_dossier_without_a_mandate():
    professional = make_professional()

    decision = decide_access(professional, OWNER, None)

    assert decision == AccessDecision(True, AccessBasis.PROFESSIONAL)
    assert not needs_mandate(professional, OWNER)


def test_a_professional_opening_his_own_dossier_is_recorded_as_owner():
    professional = make_professional()

    decision = decide_access(professional, professional.national_number, None)

    assert decision.basis == AccessBasis.OWN


def test_an_active_mandate_allows_and_names_the_mandate():
    answer = MandateAnswer(allowed=True, mandate_id="m-42")

    decision = decide_access(make_actor(), OWNER, answer)

    assert decision == AccessDecision(True, AccessBasis.MANDATE, "m-42")
    assert needs_mandate(make_actor(), OWNER)


def test_a_denied_mandate_keeps_the_registers_reason():
    answer = MandateAnswer(allowed=False, reason="stopped")

    decision = decide_access(make_actor(), OWNER, answer)

    assert decision == AccessDecision(False, reason="stopped")


def test_without_an_answer_or_a_reason_there_is_no_mandate():
    assert decide_access(make_actor(), OWNER, None).reason == DenialReason.NO_MANDATE
    assert (
        decide_access(make_actor(), OWNER, MandateAnswer(False)).reason
        == DenialReason.NO_MANDATE
    )


def test_an_allow_without_a_mandate_id_is_not_trusted():
    decision = decide_access(make_actor(), OWNER, MandateAnswer(allowed=True))

    assert not decision.allowed


def test_the_access_log_is_for_the_owner_and_professionals_only():
    assert decide_access_log(make_actor(OWNER), OWNER).basis == AccessBasis.OWN
    assert (
        decide_access_log(make_professional(), OWNER).basis == AccessBasis.PROFESSIONAL
    )
    assert decide_access_log(make_actor(), OWNER) == AccessDecision(
        False, reason=DenialReason.ACCESS_LOG_RESTRICTED
    )


def test_a_log_entry_tells_its_outcome():
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    allowed = AccessDecision(True, AccessBasis.OWN)
    denied = AccessDecision(False, reason="no_mandate")

    entries = [
        AccessLogEntry(OWNER, make_actor(), AccessAction.OPEN_DOSSIER, d, now)
        for d in (allowed, denied)
    ]

    assert [e.outcome for e in entries] == [Outcome.ALLOWED, Outcome.DENIED]
