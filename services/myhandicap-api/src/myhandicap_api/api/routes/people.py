"""Routes about the logged-in person."""

import structlog
from fastapi import APIRouter, Request

from myhandicap_api.api import examples
from myhandicap_api.api.dependencies import ActorDep, AuthorityDep, SettingsDep
from myhandicap_api.api.schemas import (
    MeRead,
    RepresentedPersonList,
    RepresentedPersonRead,
)
from myhandicap_api.service import people
from service_kit.problems import problem_responses

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/v1", tags=["people"])


@router.get(
    "/me",
    summary="Who is logged in",
    responses=problem_responses(401, 403, 503),
)
async def read_me(actor: ActorDep, settings: SettingsDep) -> MeRead:
    """Describe the logged-in person.

    `kind` is `professional` for staff of a partner organisation (who may open any
    dossier and whose `organisation` is set), else `citizen`. `manage_mandates_url`
    is where the person creates, signs and stops mandates in SSM.
    """
    return MeRead.of(people.me(actor, settings.ssm_portal_url))


@router.get(
    "/represented-persons",
    summary="List the persons the caller represents",
    responses=problem_responses(
        401, 403, 503, examples=[examples.MANDATES_UNAVAILABLE]
    ),
)
async def list_represented_persons(
    request: Request, actor: ActorDep, authority: AuthorityDep
) -> RepresentedPersonList:
    """List the persons whose dossiers the caller may open under an active mandate.

    Each comes with the `MYHANDICAP` mandate that allows it, sorted by last name,
    then first name. The list is asked from SSM on every call, so a mandate that
    was just stopped no longer appears. When SSM cannot be asked, the answer is 503.
    """
    persons = await people.represented_persons(authority, actor)
    log.info(
        "represented_persons.listed",
        actor_ref=request.app.state.hasher(actor.national_number),
        count=len(persons),
    )
    return RepresentedPersonList(items=[RepresentedPersonRead.of(p) for p in persons])
