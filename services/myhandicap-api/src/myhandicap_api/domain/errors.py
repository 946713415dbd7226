"""Everything the MyHandicap rules can refuse, with no knowledge of HTTP."""


class MyHandicapError(Exception):
    """Base of every refusal by the MyHandicap rules."""


class InvalidNationalNumberError(MyHandicapError):
    """Not 11 digits, or the check digits do not match."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class AccessDeniedError(MyHandicapError):
    """The actor has no basis for this action on the owner's dossier."""

    def __init__(self, actor: str, owner: str, action: str, reason: str) -> None:
        super().__init__(reason)
        self.actor = actor
        self.owner = owner
        self.action = action
        self.reason = reason


class AuthorityUnavailableError(MyHandicapError):
    """The mandate register could not be asked, so no mandate can be relied on."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class ApplicationNotFoundError(MyHandicapError):
    """The dossier holds no application with this id."""
