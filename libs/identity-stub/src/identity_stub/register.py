"""The fictional national register that the stub logs people in from.

Every national number here is fictional but valid: its check digits are right, with
the rule for births from 2000 on where that applies, and BIS numbers have their month
raised by 20 or 40. For the one entry that is not a natural person, `birth_date` is
the date its number encodes (its founding).
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from identity_stub.nrn import strip_separators

Locale = Literal["nl", "fr", "de", "en"]


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address in Belgium."""

    street: str
    house_number: str
    postal_code: str
    municipality: str


@dataclass(frozen=True, slots=True)
class Professional:
    """The partner organisation a professional works for."""

    organisation: str


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One entry of the register, shaped as the contract's person record."""

    national_number: str
    first_name: str
    last_name: str
    birth_date: date
    address: Address
    natural_person: bool
    professional: Professional | None
    locale: Locale


def _person(
    nrn: str,
    name: tuple[str, str],
    born: str,
    address: tuple[str, str, str, str],
    locale: Locale = "nl",
    *,
    organisation: str | None = None,
    natural_person: bool = True,
) -> PersonRecord:
    return PersonRecord(
        national_number=nrn,
        first_name=name[0],
        last_name=name[1],
        birth_date=date.fromisoformat(born),
        address=Address(*address),
        natural_person=natural_person,
        professional=Professional(organisation) if organisation else None,
        locale=locale,
    )


_PERSONS: tuple[PersonRecord, ...] = (
    # The two people of the manual's walk-through, with valid numbers.
    _person(
        "01010112301",
        ("Jane", "Doe"),
        "2001-01-01",
        ("Gentsteenweg", "123", "9000", "Gent"),
    ),
    _person(
        "12121212376",
        ("Jan", "Peters"),
        "2012-12-12",
        ("Schoolstraat", "1", "9000", "Gent"),
    ),
    # An Ansoms helps four people; their last names sort visibly apart.
    _person(
        "78042304657",
        ("An", "Ansoms"),
        "1978-04-23",
        ("Brugsesteenweg", "210", "9000", "Gent"),
    ),
    _person(
        "52090713336",
        ("Bart", "Claes"),
        "1952-09-07",
        ("Dorpsstraat", "5", "9050", "Gentbrugge"),
    ),
    _person(
        "49113020895",
        ("Chantal", "Dubois"),
        "1949-11-30",
        ("Rue Haute", "3", "1000", "Bruxelles"),
        "fr",
    ),
    _person(
        "00022906479",
        ("Emma", "Goossens"),
        "2000-02-29",
        ("Veldstraat", "12", "9000", "Gent"),
    ),
    _person(
        "38051701121",
        ("Hendrik", "Willems"),
        "1938-05-17",
        ("Molenstraat", "9", "9820", "Merelbeke"),
    ),
    # French, German and English speakers; streets with accents and an eszett.
    _person(
        "86080217476",
        ("Élodie", "Lambert"),
        "1986-08-02",
        ("Rue de l'Église", "12", "4000", "Liège"),
        "fr",
    ),
    _person(
        "69032128570",
        ("Marc", "Dupont"),
        "1969-03-21",
        ("Chaussée de Louvain", "250", "1030", "Schaerbeek"),
        "fr",
    ),
    _person(
        "91100511765",
        ("Lukas", "Kessler"),
        "1991-10-05",
        ("Bergstraße", "21", "4700", "Eupen"),
        "de",
    ),
    _person(
        "04071909282",
        ("Anna", "Schröder"),
        "2004-07-19",
        ("Hauptstraße", "4", "4780", "Sankt Vith"),
        "de",
    ),
    # BIS numbers: month + 40 (sex known) and month + 20 (sex unknown).
    _person(
        "90461515753",
        ("Oliver", "Bennett"),
        "1990-06-15",
        ("Avenue Louise", "480", "1050", "Ixelles"),
        "en",
    ),
    _person(
        "03310804623",
        ("Grace", "O'Neill"),
        "2003-11-08",
        ("Rue du Trône", "60", "1050", "Ixelles"),
        "en",
    ),
    # Professionals, with general access to MyHandicap dossiers.
    _person(
        "83012625041",
        ("Sofie", "Verhaegen"),
        "1983-01-26",
        ("Onderstraat", "22", "9000", "Gent"),
        organisation="OCMW Gent",
    ),
    _person(
        "75060931166",
        ("Pieter", "Maes"),
        "1975-06-09",
        ("Stationsstraat", "45", "8500", "Kortrijk"),
        organisation="Ziekenfonds Vlaanderen",
    ),
    # Not a natural person: it can be found, but can be no party to a mandate.
    _person(
        "98051200183",
        ("", "De Lichtboei vzw"),
        "1998-05-12",
        ("Kortrijksesteenweg", "300", "9000", "Gent"),
        natural_person=False,
    ),
)

_BY_NUMBER: dict[str, PersonRecord] = {p.national_number: p for p in _PERSONS}


def find(nrn: str) -> PersonRecord | None:
    """Look a person up by national number, separators allowed."""
    return _BY_NUMBER.get(strip_separators(nrn))


def all_persons() -> tuple[PersonRecord, ...]:
    """Return every entry of the register, in a stable order."""
    return _PERSONS
