"""Use cases about the logged-in person: who he or she is, and whom he or she helps."""

from dataclasses import dataclass

from myhandicap_api.domain.access import Actor
from myhandicap_api.domain.people import (
    PersonKind,
    RepresentedPerson,
    kind_of,
    sort_by_name,
)
from myhandicap_api.service.ports import AccessAuthority


@dataclass(frozen=True)
class Me:
    """The logged-in person, and where he or she manages mandates."""

    national_number: str
    first_name: str
    last_name: str
    kind: PersonKind
    organisation: str | None
    manage_mandates_url: str


def me(actor: Actor, manage_mandates_url: str) -> Me:
    """Describe the logged-in person."""
    return Me(
        national_number=actor.national_number,
        first_name=actor.first_name,
        last_name=actor.last_name,
        kind=kind_of(actor),
        organisation=actor.organisation,
        manage_mandates_url=manage_mandates_url,
    )


async def represented_persons(
    authority: AccessAuthority, actor: Actor
) -> list[RepresentedPerson]:
    """List the persons the actor may act for now, by last name, then first name."""
    persons = await authority.represented_persons(actor.national_number)
    return sort_by_name(persons)
