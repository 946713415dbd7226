import pytest

from ssm_api.domain.errors import (
    ConditionsNotAcceptedError,
    DomainError,
    InvalidInputError,
    InvalidNationalNumberError,
    MandateNotFoundError,
    OverlapError,
    PartyKindNotAllowedError,
    PersonNotFoundError,
    SelfMandateError,
    TransitionNotAllowedError,
    UnknownMandateTypeError,
)


@pytest.mark.parametrize(
    "error",
    [
        InvalidNationalNumberError,
        SelfMandateError,
        PartyKindNotAllowedError,
        UnknownMandateTypeError,
        ConditionsNotAcceptedError,
    ],
)
def test_input_refusals_name_their_field(error: type[InvalidInputError]) -> None:
    refusal = error("some_field", "This value breaks a rule.")

    assert isinstance(refusal, DomainError)
    assert (refusal.field, refusal.message) == ("some_field", refusal.args[0])
    assert str(refusal) == "This value breaks a rule."


@pytest.mark.parametrize("error", [PersonNotFoundError, MandateNotFoundError])
def test_not_found_refusals_share_the_base(error: type[DomainError]) -> None:
    refusal = error("m-1")

    assert isinstance(refusal, DomainError)


def test_a_refused_transition_says_what_and_why() -> None:
    refusal = TransitionNotAllowedError("stop", "pending", "Not yet signed.")

    assert (refusal.action, refusal.status) == ("stop", "pending")
    assert refusal.reason == str(refusal) == "Not yet signed."
    assert isinstance(refusal, DomainError)


@pytest.mark.parametrize("other_id", ["m-2", None])
def test_an_overlap_names_the_other_mandate_when_known(other_id: str | None) -> None:
    refusal = OverlapError(other_id)

    assert refusal.other_id == other_id
    assert str(refusal) == "overlapping mandate"
    assert isinstance(refusal, DomainError)
