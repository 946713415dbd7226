"""The logged-in person's kind, and the persons he or she represents."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from myhandicap_api.domain.access import Actor


class PersonKind(StrEnum):
    """Whether the logged-in person is a citizen or a partner's professional."""

    CITIZEN = "citizen"
    PROFESSIONAL = "professional"


def kind_of(actor: Actor) -> PersonKind:
    """Tell a professional from a citizen."""
    return PersonKind.PROFESSIONAL if actor.professional else PersonKind.CITIZEN


@dataclass(frozen=True)
class RepresentedPerson:
    """A mandator for whom the logged-in person may act under an active mandate."""

    mandate_id: str
    national_number: str
    first_name: str
    last_name: str
    active_since: date | None
    end_date: date | None


def _sort_key(name: str) -> str:
    # Accents and case do not change a name's place: "Élodie" sorts with the E's.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_by_name(persons: Iterable[RepresentedPerson]) -> list[RepresentedPerson]:
    """Sort by last name, then first name, as people look names up."""
    return sorted(
        persons,
        key=lambda p: (_sort_key(p.last_name), _sort_key(p.first_name), p.mandate_id),
    )
