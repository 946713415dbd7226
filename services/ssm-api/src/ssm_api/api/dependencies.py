"""Typed dependencies of the routes: the caller, the unit of work, the register."""

from typing import Annotated

from fastapi import Depends, Request

from service_kit.auth import Person, current_person, forbidden
from service_kit.logs import KeyedHasher
from service_kit.problems import problem_responses
from ssm_api.adapters.unit_of_work import SqlUnitOfWork
from ssm_api.config import Settings
from ssm_api.domain.errors import InvalidNationalNumberError
from ssm_api.domain.mandate import Party
from ssm_api.domain.national_number import NationalNumber
from ssm_api.notifications.notifier import Notifier
from ssm_api.service.mandates import Caller
from ssm_api.service.ports import Clock, Register, UnitOfWork


def _caller(person: Annotated[Person, Depends(current_person)]) -> Caller:
    try:
        national_number = NationalNumber.parse(person.national_number)
    except InvalidNationalNumberError:
        raise forbidden(
            "The token does not name a person by national number."
        ) from None
    party = Party(national_number, person.given_name, person.family_name)
    return Caller(party=party, method=person.method, locale=person.locale)


def _unit_of_work(request: Request) -> UnitOfWork:
    return SqlUnitOfWork(request.app.state.sessions, request.app.state.clock)


def _reading_unit_of_work(request: Request) -> UnitOfWork:
    return SqlUnitOfWork(request.app.state.reading_sessions, request.app.state.clock)


def _register(request: Request) -> Register:
    register: Register = request.app.state.register
    return register


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


def _hasher(request: Request) -> KeyedHasher:
    hasher: KeyedHasher = request.app.state.hasher
    return hasher


CurrentCaller = Annotated[Caller, Depends(_caller)]
# What the token check can answer on any route that needs a caller: no or a bad
# token (401), a service token or too weak a login (403), and 503 when the
# identity provider's keys cannot be read to check the token.
CALLER_PROBLEMS = problem_responses(401, 403, 503)
UnitOfWorkDep = Annotated[UnitOfWork, Depends(_unit_of_work)]
ReadingUnitOfWorkDep = Annotated[UnitOfWork, Depends(_reading_unit_of_work)]
"""A unit of work for use cases that only read; on SQLite it takes no write lock."""
RegisterDep = Annotated[Register, Depends(_register)]
ClockDep = Annotated[Clock, Depends(_clock)]
SettingsDep = Annotated[Settings, Depends(_settings)]
HasherDep = Annotated[KeyedHasher, Depends(_hasher)]
NotifierDep = Annotated[Notifier, Depends(_notifier)]
