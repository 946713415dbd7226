"""Typed dependencies of the routes: who calls, for whom, with what."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Request

from myhandicap_api.adapters.ssm_client import SsmAccessAuthority
from myhandicap_api.adapters.unit_of_work import SqlUnitOfWork
from myhandicap_api.api import examples
from myhandicap_api.config import Settings
from myhandicap_api.domain.access import Actor
from myhandicap_api.domain.errors import InvalidNationalNumberError
from myhandicap_api.domain.national_number import parse_national_number
from myhandicap_api.service.ports import AccessAuthority, UnitOfWork
from service_kit.auth import Person, current_person, unauthorized


def get_settings(request: Request) -> Settings:
    """Return the settings the app was made with."""
    settings: Settings = request.app.state.settings
    return settings


def get_actor(person: Annotated[Person, Depends(current_person)]) -> Actor:
    """Turn the logged-in person into the actor the use cases record."""
    try:
        national_number = parse_national_number(person.national_number)
    except InvalidNationalNumberError as exc:
        raise unauthorized("The token carries no valid national number.") from exc
    return Actor(
        national_number=national_number,
        first_name=person.given_name,
        last_name=person.family_name,
        organisation=person.organisation if person.is_professional else None,
        professional=person.is_professional,
    )


def get_unit_of_work(request: Request) -> UnitOfWork:
    """Start a unit of work on the app's database."""
    return SqlUnitOfWork(request.app.state.session_factory)


def get_authority(request: Request) -> AccessAuthority:
    """Ask SSM through the app's pooled client, passing this request's id on."""
    request_id = request.scope.get("state", {}).get("request_id")
    return SsmAccessAuthority(request.app.state.ssm_client, request_id)


def get_now() -> datetime:
    """Return the current instant, in UTC."""
    return datetime.now(UTC)


def get_owner(
    nrn: Annotated[
        str,
        Path(
            description="National number of the dossier's owner; dots, dashes and "
            "spaces are allowed and ignored.",
            examples=[examples.JAN_NRN_TYPED],
            max_length=32,
        ),
    ],
) -> str:
    """Read the dossier owner's national number from the path."""
    return parse_national_number(nrn, field="nrn")


SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[Actor, Depends(get_actor)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
AuthorityDep = Annotated[AccessAuthority, Depends(get_authority)]
NowDep = Annotated[datetime, Depends(get_now)]
OwnerDep = Annotated[str, Depends(get_owner)]
