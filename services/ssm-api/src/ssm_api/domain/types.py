"""Mandate types: data that says who may take part, not code."""

from dataclasses import dataclass
from enum import StrEnum


class PartyKind(StrEnum):
    """What a party to a mandate is in law."""

    NATURAL_PERSON = "natural_person"
    ENTERPRISE = "enterprise"


class Language(StrEnum):
    """Languages a mandate, and the mail about it, can be in."""

    NL = "nl"
    FR = "fr"
    DE = "de"
    EN = "en"


@dataclass(frozen=True)
class MandateType:
    """One kind of mandate, giving access to one e-service."""

    code: str
    names: dict[Language, str]
    mandator_kinds: frozenset[PartyKind]
    mandatary_kinds: frozenset[PartyKind]
    transferable: bool
