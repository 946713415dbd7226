"""The catalogue of mandate types."""

from fastapi import APIRouter

from ssm_api.api import presenters, schemas
from ssm_api.api.dependencies import (
    CALLER_PROBLEMS,
    CurrentCaller,
    ReadingUnitOfWorkDep,
)
from ssm_api.service import catalogue

router = APIRouter(
    prefix="/v1/mandate-types", tags=["mandate types"], responses=CALLER_PROBLEMS
)


@router.get(
    "",
    summary="List the mandate types",
    response_model=list[schemas.MandateTypeRead],
)
async def list_mandate_types(
    _caller: CurrentCaller, uow: ReadingUnitOfWorkDep
) -> list[schemas.MandateTypeRead]:
    """Every type of mandate that can be created, with its name in the four
    languages and the kinds of party (natural person, enterprise) each role admits.
    """
    return [presenters.mandate_type(t) for t in await catalogue.all_types(uow)]
