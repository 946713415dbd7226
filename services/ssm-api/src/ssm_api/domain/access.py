"""Whether a mandate lets one person act for another on a given day."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ssm_api.domain.mandate import State, Status, status_on


class DenialReason(StrEnum):
    """Why no access is given, from the most to the least telling."""

    SCHEDULED = "scheduled"
    PENDING = "pending"
    STOPPED = "stopped"
    ENDED = "ended"
    NO_MANDATE = "no_mandate"


@dataclass(frozen=True)
class Candidate:
    """The few columns of a mandate between the two persons that a decision needs."""

    mandate_id: str
    state: State
    start_date: date
    end_date: date | None
    expires_on: date


@dataclass(frozen=True)
class AccessDecision:
    """Allowed under one mandate, or denied with a reason."""

    allowed: bool
    mandate_id: str | None = None
    end_date: date | None = None
    reason: DenialReason | None = None


def decide_access(candidates: list[Candidate], day: date) -> AccessDecision:
    """Allow when one signed mandate is active on the day; else say why not.

    A stopped mandate allows nothing on any day, not even a day before its stop:
    once a party has stopped it, no later request may be allowed on it.
    """
    reasons: set[DenialReason] = set()
    for candidate in candidates:
        reason = _reason_against(candidate, day)
        if reason is None:
            return AccessDecision(
                True, mandate_id=candidate.mandate_id, end_date=candidate.end_date
            )
        reasons.add(reason)
    most_telling = min(reasons, key=list(DenialReason).index, default=None)
    return AccessDecision(False, reason=most_telling or DenialReason.NO_MANDATE)


_REASONS = {
    Status.SCHEDULED: DenialReason.SCHEDULED,
    Status.PENDING: DenialReason.PENDING,
    Status.STOPPED: DenialReason.STOPPED,
    Status.ENDED: DenialReason.ENDED,
}


def _reason_against(candidate: Candidate, day: date) -> DenialReason | None:
    status = status_on(
        candidate.state,
        candidate.start_date,
        candidate.end_date,
        candidate.expires_on,
        day,
    )
    if status is Status.ACTIVE:
        return None
    # Refused, withdrawn and expired mandates never gave access: as good as none.
    return _REASONS.get(status, DenialReason.NO_MANDATE)
