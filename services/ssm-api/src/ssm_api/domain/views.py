"""The lists of the SSM home page, as a person sees his or her mandates."""

from datetime import date
from enum import StrEnum

from ssm_api.domain.mandate import FINAL_STATUSES, Mandate, Status
from ssm_api.domain.national_number import NationalNumber


class View(StrEnum):
    """One list of the overview."""

    ACTIVE = "active"
    TO_SIGN = "to_sign"
    AWAITING_OTHER_PARTY = "awaiting_other_party"
    AWAITING_TRANSFER = "awaiting_transfer"
    SCHEDULED = "scheduled"
    HISTORY = "history"


def view_of(mandate: Mandate, person: NationalNumber, today: date) -> View:
    """Return the list in which the person sees the mandate today.

    No mandate awaits transfer: transfers hand mandates between enterprises, and
    no type that can be transferred has a transfer flow here yet.
    """
    status = mandate.status_on(today)
    if status is Status.PENDING:
        initiated = mandate.role_of(person) is mandate.initiator
        return View.AWAITING_OTHER_PARTY if initiated else View.TO_SIGN
    if status in FINAL_STATUSES:
        return View.HISTORY
    return View.SCHEDULED if status is Status.SCHEDULED else View.ACTIVE


def in_view(
    mandates: list[Mandate], person: NationalNumber, today: date, view: View
) -> list[Mandate]:
    """Return the person's mandates that belong to one list, newest first."""
    chosen = [m for m in mandates if view_of(m, person, today) is view]
    return sorted(chosen, key=lambda m: m.created_at, reverse=True)


def counts(
    mandates: list[Mandate], person: NationalNumber, today: date
) -> dict[View, int]:
    """Return how many mandates each list holds."""
    totals = dict.fromkeys(View, 0)
    for mandate in mandates:
        totals[view_of(mandate, person, today)] += 1
    return totals
