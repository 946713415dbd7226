"""Routes on a dossier: open it, its applications, and its access log."""

import uuid
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Body, Path, Request, Response, status
from fastapi.openapi.models import Example

from myhandicap_api.api import examples
from myhandicap_api.api.dependencies import (
    ActorDep,
    AuthorityDep,
    NowDep,
    OwnerDep,
    UnitOfWorkDep,
)
from myhandicap_api.api.schemas import (
    AccessLogEntryRead,
    AccessLogRead,
    ApplicationCreate,
    ApplicationList,
    ApplicationRead,
    DossierRead,
)
from myhandicap_api.domain.access import Actor
from myhandicap_api.service import dossiers
from service_kit.problems import ProblemError, ProblemExample, problem_responses

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/v1/dossiers/{nrn}", tags=["dossiers"])

# 503 also when the identity provider's keys cannot be read to check the token.
ACCESS_EXAMPLES: list[ProblemError | ProblemExample] = [
    examples.NO_ACCESS_BASIS,
    examples.INVALID_NRN,
    examples.MANDATES_UNAVAILABLE,
]
ACCESS_PROBLEMS = problem_responses(401, 403, 422, 503, examples=ACCESS_EXAMPLES)
CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "The application was submitted.",
        "headers": {
            "Location": {
                "description": "Where the new application can be read.",
                "schema": {"type": "string"},
            }
        },
    }
}

SUBMISSIONS: dict[str, Example] = {
    "parking_card": {
        "summary": "A parking card, with a note",
        "value": {
            "kind": "parking_card",
            "note": examples.PARKING_CARD_NOTE,
        },
    },
    "allowance": {
        "summary": "An integration allowance, without a note",
        "value": {"kind": "integration_allowance"},
    },
}
ApplicationBody = Annotated[ApplicationCreate, Body(openapi_examples=SUBMISSIONS)]
ApplicationId = Annotated[
    uuid.UUID,
    Path(description="The application's id.", examples=[examples.APPLICATION_ID]),
]


def _refs(request: Request, actor: Actor, owner: str) -> dict[str, str]:
    # Keyed digests let operators follow one person's requests without the number.
    hasher = request.app.state.hasher
    return {"actor_ref": hasher(actor.national_number), "owner_ref": hasher(owner)}


@router.get("", summary="Open a dossier", responses=ACCESS_PROBLEMS)
async def open_dossier(
    request: Request,
    owner: OwnerDep,
    actor: ActorDep,
    uow: UnitOfWorkDep,
    authority: AuthorityDep,
    now: NowDep,
) -> DossierRead:
    """Open the dossier of the person with this national number.

    The caller may open it when it is his or her own (`basis: own`), when he or
    she is a professional (`basis: professional`), or when SSM says a
    `MYHANDICAP` mandate from the owner to the caller is active now
    (`basis: mandate`, with its `mandate_id`). Any other caller gets 403, whether
    or not the dossier exists. When SSM cannot be asked the answer is 503 and
    holds no dossier data: access is never given when unsure.

    A person who has never applied has no dossier yet; it is answered as an empty
    dossier. Its `person` then carries the names from the owner's own login, or
    for a mandatary the names SSM gives for the mandate; a professional sees only
    the national number, with null names.

    Every opening, allowed or not, is recorded in the dossier's access log.
    """
    view = await dossiers.open_dossier(uow, authority, actor, owner, now=now)
    log.info("dossier.opened", basis=view.access.basis, **_refs(request, actor, owner))
    return DossierRead.of(view)


@router.get(
    "/applications", summary="List a dossier's applications", responses=ACCESS_PROBLEMS
)
async def list_applications(
    request: Request,
    owner: OwnerDep,
    actor: ActorDep,
    uow: UnitOfWorkDep,
    authority: AuthorityDep,
    now: NowDep,
) -> ApplicationList:
    """List the dossier's applications and their status, newest first.

    Access is decided as for opening the dossier (own, professional or an active
    mandate; 403 otherwise, 503 when SSM cannot be asked), and recorded.
    """
    applications = await dossiers.list_applications(
        uow, authority, actor, owner, now=now
    )
    log.info("applications.listed", **_refs(request, actor, owner))
    return ApplicationList(items=[ApplicationRead.of(a) for a in applications])


@router.post(
    "/applications",
    summary="Submit an application",
    status_code=status.HTTP_201_CREATED,
    responses={
        **CREATED,
        **problem_responses(401, 403, 413, 422, 503, examples=ACCESS_EXAMPLES),
    },
)
async def submit_application(
    request: Request,
    response: Response,
    body: ApplicationBody,
    owner: OwnerDep,
    actor: ActorDep,
    uow: UnitOfWorkDep,
    authority: AuthorityDep,
    now: NowDep,
) -> ApplicationRead:
    """Submit an application for a benefit on behalf of the dossier's owner.

    The owner, a professional or a mandatary with an active `MYHANDICAP` mandate
    may submit. The application records who submitted it (`submitted_by`), for
    whom, on which `basis` and under which mandate; it starts with status
    `submitted`. The first application creates the dossier. The answer is 201
    with the application and its `Location`.
    """
    application = await dossiers.submit_application(
        uow, authority, actor, owner, kind=body.kind, note=body.note, now=now
    )
    log.info(
        "application.submitted",
        basis=application.basis,
        **_refs(request, actor, owner),
    )
    response.headers["Location"] = f"/v1/dossiers/{owner}/applications/{application.id}"
    return ApplicationRead.of(application)


@router.get(
    "/applications/{application_id}",
    summary="Read one application",
    responses={
        **ACCESS_PROBLEMS,
        **problem_responses(404, examples=[examples.APPLICATION_NOT_FOUND]),
    },
)
async def read_application(
    request: Request,
    application_id: ApplicationId,
    owner: OwnerDep,
    actor: ActorDep,
    uow: UnitOfWorkDep,
    authority: AuthorityDep,
    now: NowDep,
) -> ApplicationRead:
    """Read one application of the dossier, as its `Location` points to.

    Access is decided as for opening the dossier, and recorded; an application
    that is not in this dossier gets 404.
    """
    application = await dossiers.get_application(
        uow, authority, actor, owner, application_id=application_id, now=now
    )
    log.info("application.read", **_refs(request, actor, owner))
    return ApplicationRead.of(application)


@router.get(
    "/access-log",
    summary="Read a dossier's access log",
    responses=problem_responses(
        401,
        403,
        422,
        503,
        examples=[examples.ACCESS_LOG_RESTRICTED, examples.INVALID_NRN],
    ),
)
async def read_access_log(
    request: Request,
    owner: OwnerDep,
    actor: ActorDep,
    uow: UnitOfWorkDep,
    now: NowDep,
) -> AccessLogRead:
    """List who opened or acted on the dossier, when, and on which basis.

    Newest first, with denied attempts too (their `reason` says why). Only the
    owner and professionals may read it; a mandatary gets 403, since the log
    shows who else helps the owner. Reading the log is itself recorded.
    """
    entries = await dossiers.access_log(uow, actor, owner, now=now)
    log.info("access_log.read", **_refs(request, actor, owner))
    return AccessLogRead(items=[AccessLogEntryRead.of(e) for e in entries])
