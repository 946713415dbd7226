"""Who may act on a dossier, on which basis, and the record of every attempt."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AccessBasis(StrEnum):
    """Why a person may act on a dossier."""

    OWN = "own"
    PROFESSIONAL = "professional"
    MANDATE = "mandate"


class AccessAction(StrEnum):
    """What a person did, or tried to do, on a dossier."""

    OPEN_DOSSIER = "open_dossier"
    LIST_APPLICATIONS = "list_applications"
    READ_APPLICATION = "read_application"
    SUBMIT_APPLICATION = "submit_application"
    READ_ACCESS_LOG = "read_access_log"


class Outcome(StrEnum):
    """Whether an attempt was allowed."""

    ALLOWED = "allowed"
    DENIED = "denied"


class DenialReason(StrEnum):
    """Why MyHandicap itself refused, next to the reasons the mandate register gives."""

    NO_MANDATE = "no_mandate"
    AUTHORITY_UNAVAILABLE = "authority_unavailable"
    ACCESS_LOG_RESTRICTED = "access_log_restricted"


@dataclass(frozen=True)
class Actor:
    """The logged-in person who acts, with his or her own login."""

    national_number: str
    first_name: str
    last_name: str
    organisation: str | None = None
    professional: bool = False


@dataclass(frozen=True)
class MandateAnswer:
    """What the mandate register says about one person acting for another now."""

    allowed: bool
    mandate_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class AccessDecision:
    """Allowed on a basis (and under a mandate), or denied with a reason."""

    allowed: bool
    basis: AccessBasis | None = None
    mandate_id: str | None = None
    reason: str | None = None


UNAVAILABLE = AccessDecision(False, reason=DenialReason.AUTHORITY_UNAVAILABLE)


def needs_mandate(actor: Actor, owner: str) -> bool:
    """Tell whether only a mandate could let the actor act on the owner's dossier."""
    return actor.national_number != owner and not actor.professional


def decide_access(
    actor: Actor, owner: str, mandate: MandateAnswer | None
) -> AccessDecision:
    """Allow one's own dossier, any dossier to a professional, else an active mandate.

    The own dossier wins over the professional role, so a professional who opens
    his or her own dossier is recorded as the owner.
    """
    if actor.national_number == owner:
        return AccessDecision(True, AccessBasis.OWN)
    if actor.professional:
        return AccessDecision(True, AccessBasis.PROFESSIONAL)
    if mandate is not None and mandate.allowed and mandate.mandate_id:
        return AccessDecision(True, AccessBasis.MANDATE, mandate.mandate_id)
    reason = mandate.reason if mandate and mandate.reason else DenialReason.NO_MANDATE
    return AccessDecision(False, reason=reason)


def decide_access_log(actor: Actor, owner: str) -> AccessDecision:
    """Show the access log to the owner and to professionals, never to a mandatary.

    The log says who else helps the owner; a mandatary has no need to know that.
    """
    decision = decide_access(actor, owner, None)
    if decision.allowed:
        return decision
    return AccessDecision(False, reason=DenialReason.ACCESS_LOG_RESTRICTED)


@dataclass(frozen=True)
class AccessLogEntry:
    """One attempt to act on a dossier: who, for whom, when, what, on which basis."""

    owner_national_number: str
    actor: Actor
    action: AccessAction
    decision: AccessDecision
    occurred_at: datetime

    @property
    def outcome(self) -> Outcome:
        """Return whether the attempt was allowed."""
        return Outcome.ALLOWED if self.decision.allowed else Outcome.DENIED
