"""Finding the other party: by national number and address, never by one alone."""

from dataclasses import dataclass

from ssm_api.domain.errors import PersonNotFoundError
from ssm_api.domain.national_number import NationalNumber
from ssm_api.service.errors import RateLimitedError
from ssm_api.service.ports import Clock, Register, RegisterPerson, UnitOfWork


@dataclass(frozen=True)
class PersonQuery:
    """What a person types to find the other party."""

    national_number: NationalNumber
    street: str
    house_number: str
    postal_code: str


@dataclass(frozen=True)
class SearchLimit:
    """How many searches a caller may make in a sliding window of seconds."""

    attempts: int
    window_seconds: float


async def find_person(register: Register, query: PersonQuery) -> RegisterPerson:
    """Return the person only when number and address both match exactly.

    An unknown number and a wrong address raise the same error, so that nobody
    can learn from the answer whether a national number exists.
    """
    person = await register.find(query.national_number)
    if person is None or not person.address.matches(
        query.street, query.house_number, query.postal_code
    ):
        raise PersonNotFoundError
    return person


async def search_person(
    uow: UnitOfWork,
    register: Register,
    clock: Clock,
    caller_key: str,
    query: PersonQuery,
    *,
    limit: SearchLimit,
) -> RegisterPerson:
    """Count the caller's attempt against the limit, then look the person up."""
    async with uow:
        wait = await uow.rate_limits.hit(
            caller_key, clock.now(), limit.attempts, limit.window_seconds
        )
        await uow.commit()
    if wait > 0:
        raise RateLimitedError(wait)
    return await find_person(register, query)
