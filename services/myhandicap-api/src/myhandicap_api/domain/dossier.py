"""A person's dossier and the applications for benefits in it."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from myhandicap_api.domain.access import AccessBasis, AccessDecision, Actor


class ApplicationKind(StrEnum):
    """The benefits and advantages a person can apply for."""

    INCOME_REPLACEMENT_ALLOWANCE = "income_replacement_allowance"
    INTEGRATION_ALLOWANCE = "integration_allowance"
    ASSISTANCE_TO_ELDERLY_ALLOWANCE = "assistance_to_elderly_allowance"
    PARKING_CARD = "parking_card"
    SOCIAL_AND_TAX_ADVANTAGES = "social_and_tax_advantages"


class ApplicationStatus(StrEnum):
    """Where an application stands in the administration's handling."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    DECIDED = "decided"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Person:
    """The owner of a dossier; names are unknown until someone learns them."""

    national_number: str
    first_name: str | None = None
    last_name: str | None = None


@dataclass(frozen=True)
class Application:
    """An application for a benefit, with who submitted it and on which basis."""

    id: uuid.UUID
    owner_national_number: str
    kind: ApplicationKind
    status: ApplicationStatus
    note: str | None
    submitted_at: datetime
    submitted_by: Actor
    basis: AccessBasis
    mandate_id: str | None


def new_application(
    owner: str,
    kind: ApplicationKind,
    note: str | None,
    *,
    actor: Actor,
    decision: AccessDecision,
    now: datetime,
) -> Application:
    """Make a just-submitted application under an access decision that allowed it."""
    if not decision.allowed or decision.basis is None:
        msg = "an application needs an allowing access decision"
        raise ValueError(msg)
    return Application(
        id=uuid.uuid4(),
        owner_national_number=owner,
        kind=kind,
        status=ApplicationStatus.SUBMITTED,
        note=note,
        submitted_at=now,
        submitted_by=actor,
        basis=decision.basis,
        mandate_id=decision.mandate_id,
    )
