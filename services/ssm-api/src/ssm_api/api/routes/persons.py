"""Finding the other party of a new mandate."""

from fastapi import APIRouter

from service_kit.problems import problem_responses
from ssm_api.api import examples, presenters, schemas
from ssm_api.api.dependencies import (
    CALLER_PROBLEMS,
    ClockDep,
    CurrentCaller,
    HasherDep,
    RegisterDep,
    SettingsDep,
    UnitOfWorkDep,
)
from ssm_api.domain.national_number import NationalNumber
from ssm_api.service import persons

router = APIRouter(prefix="/v1/persons", tags=["persons"], responses=CALLER_PROBLEMS)


@router.post(
    "/search",
    summary="Find a person by national number and address",
    response_model=schemas.PersonFound,
    responses=problem_responses(
        404,
        413,
        422,
        429,
        503,
        examples=[
            examples.PERSON_NOT_FOUND,
            examples.invalid_national_number("national_number"),
            examples.TOO_MANY_SEARCHES,
            examples.REGISTER_UNAVAILABLE,
        ],
    ),
)
async def search_person(
    body: schemas.PersonSearch,
    caller: CurrentCaller,
    uow: UnitOfWorkDep,
    register: RegisterDep,
    clock: ClockDep,
    settings: SettingsDep,
    hasher: HasherDep,
) -> schemas.PersonFound:
    """Find the other party of a mandate, to show his or her name and address
    for confirmation.

    Only an exact match of national number, street, house number and postal code
    finds the person; case, accents and surrounding spaces do not matter. An unknown
    number and a wrong address both answer 404, so the register cannot be probed.
    Searches are limited per caller: beyond the limit, 429 with `Retry-After`.
    """
    query = persons.PersonQuery(
        national_number=NationalNumber.parse(body.national_number),
        street=body.street,
        house_number=body.house_number,
        postal_code=body.postal_code,
    )
    limit = persons.SearchLimit(
        settings.search_rate_limit, settings.search_rate_window_seconds
    )
    caller_key = hasher(caller.party.national_number.value)
    found = await persons.search_person(
        uow, register, clock, caller_key, query, limit=limit
    )
    return presenters.person(found)
