"""Everything the mandate rules can refuse, with no knowledge of HTTP."""


class DomainError(Exception):
    """Base of every refusal by the mandate rules."""


class InvalidInputError(DomainError):
    """A value breaks a rule of creation; field names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvalidNationalNumberError(InvalidInputError):
    """Not 11 digits, or the check digits do not match."""


class SelfMandateError(InvalidInputError):
    """A person cannot give a mandate to himself or herself."""


class PartyKindNotAllowedError(InvalidInputError):
    """The mandate type does not admit this kind of party (an enterprise, say)."""


class UnknownMandateTypeError(InvalidInputError):
    """No mandate type has this code."""


class ConditionsNotAcceptedError(InvalidInputError):
    """The person did not accept the conditions."""


class PersonNotFoundError(DomainError):
    """No person matches; an unknown number and a wrong address look the same."""


class MandateNotFoundError(DomainError):
    """No mandate with this id of which the caller is a party."""


class TransitionNotAllowedError(DomainError):
    """The mandate's state or the caller's part in it does not allow the action."""

    def __init__(self, action: str, status: str, reason: str) -> None:
        super().__init__(reason)
        self.action = action
        self.status = status
        self.reason = reason


class OverlapError(DomainError):
    """Another mandate of the type between the same two persons overlaps in time."""

    def __init__(self, other_id: str | None) -> None:
        super().__init__("overlapping mandate")
        self.other_id = other_id
