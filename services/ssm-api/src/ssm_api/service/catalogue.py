"""Reading the catalogue of mandate types."""

from ssm_api.domain.types import MandateType
from ssm_api.service.ports import UnitOfWork


async def all_types(uow: UnitOfWork) -> list[MandateType]:
    """Return every mandate type, by code."""
    async with uow:
        return await uow.types.all()
