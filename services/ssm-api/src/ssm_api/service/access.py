"""Access decisions for e-services: whether one person may act for another."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date

from ssm_api.domain.access import AccessDecision, decide_access
from ssm_api.domain.national_number import NationalNumber
from ssm_api.service.ports import Represented, UnitOfWork


@dataclass(frozen=True)
class AccessQuestion:
    """Whether the subject may act for the resource's person under a mandate type."""

    subject: NationalNumber
    mandate_type: str
    resource: NationalNumber
    day: date


class InvalidPageTokenError(ValueError):
    """The page token was not made by this service."""


async def evaluate(uow: UnitOfWork, question: AccessQuestion) -> AccessDecision:
    """Decide from the mandates as committed now; nothing is cached across calls."""
    async with uow:
        candidates = await uow.mandates.access_candidates(
            question.mandate_type, question.subject.value, question.resource.value
        )
    return decide_access(candidates, question.day)


async def represented(
    uow: UnitOfWork,
    subject: NationalNumber,
    mandate_type: str,
    day: date,
    *,
    page_token: str | None,
    limit: int,
) -> tuple[list[Represented], str | None]:
    """Return one page of the persons the subject may act for, and the next token."""
    after = decode_page_token(page_token) if page_token else None
    async with uow:
        rows = await uow.mandates.represented_by(
            mandate_type, subject.value, day, after, limit + 1
        )
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_page_token(
        (last.last_name, last.first_name, last.mandate_id)
    )


def encode_page_token(key: tuple[str, str, str]) -> str:
    """Make an opaque token that resumes a listing after a sort key."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_page_token(token: str) -> tuple[str, str, str]:
    """Read a token made by encode_page_token."""
    try:
        padded = token + "=" * (-len(token) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error) as exc:
        raise InvalidPageTokenError(token) from exc
    if not (
        isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) for k in key)
    ):
        raise InvalidPageTokenError(token)
    return key[0], key[1], key[2]
