"""Between stored rows and domain objects; the domain knows nothing of tables."""

from datetime import UTC, datetime

from ssm_api.adapters.tables import MandateEventRow, MandateRow, MandateTypeRow
from ssm_api.domain.mandate import (
    Event,
    EventKind,
    Mandate,
    Party,
    Role,
    Signature,
    State,
    Stop,
)
from ssm_api.domain.national_number import NationalNumber
from ssm_api.domain.types import Language, MandateType, PartyKind


def mandate_type(row: MandateTypeRow) -> MandateType:
    """Read a catalogue row."""
    return MandateType(
        code=row.code,
        names={
            Language.NL: row.name_nl,
            Language.FR: row.name_fr,
            Language.DE: row.name_de,
            Language.EN: row.name_en,
        },
        mandator_kinds=_kinds(row.mandator_kinds),
        mandatary_kinds=_kinds(row.mandatary_kinds),
        transferable=row.transferable,
    )


def _kinds(text: str) -> frozenset[PartyKind]:
    return frozenset(PartyKind(k) for k in text.split(",") if k)


def mandate(row: MandateRow) -> Mandate:
    """Read a mandate row into the domain object."""
    signatures = [
        Signature(role, at, method or "unknown")
        for role, at, method in (
            (Role.MANDATOR, row.mandator_signed_at, row.mandator_sign_method),
            (Role.MANDATARY, row.mandatary_signed_at, row.mandatary_sign_method),
        )
        if at is not None
    ]
    stop = None
    if row.stopped_at is not None and row.stopped_by is not None:
        stop = Stop(row.stopped_at, Role(row.stopped_by), row.stop_reason)
    return Mandate(
        id=row.id,
        type_code=row.type_code,
        mandator=Party(
            NationalNumber(row.mandator_nrn),
            row.mandator_first_name,
            row.mandator_last_name,
            PartyKind(row.mandator_kind),
        ),
        mandatary=Party(
            NationalNumber(row.mandatary_nrn),
            row.mandatary_first_name,
            row.mandatary_last_name,
            PartyKind(row.mandatary_kind),
        ),
        initiator=Role(row.initiator),
        start_date=row.start_date,
        end_date=row.end_date,
        expires_on=row.expires_on,
        reference=row.reference,
        language=Language(row.language),
        state=State(row.state),
        signatures=sorted(signatures, key=lambda s: s.signed_at),
        stop_=stop,
        created_at=row.created_at,
    )


def new_row(mandate: Mandate) -> MandateRow:
    """Make the row of a new mandate."""
    row = MandateRow(
        id=mandate.id,
        type_code=mandate.type_code,
        mandator_nrn=mandate.mandator.national_number.value,
        mandator_first_name=mandate.mandator.first_name,
        mandator_last_name=mandate.mandator.last_name,
        mandator_kind=mandate.mandator.kind.value,
        mandatary_nrn=mandate.mandatary.national_number.value,
        mandatary_first_name=mandate.mandatary.first_name,
        mandatary_last_name=mandate.mandatary.last_name,
        mandatary_kind=mandate.mandatary.kind.value,
        initiator=mandate.initiator.value,
        start_date=mandate.start_date,
        end_date=mandate.end_date,
        expires_on=mandate.expires_on,
        reference=mandate.reference,
        language=mandate.language.value,
        created_at=mandate.created_at,
    )
    update_row(row, mandate)
    return row


def update_row(row: MandateRow, mandate: Mandate) -> None:
    """Copy what a transition may change onto the row."""
    row.state = mandate.state.value
    for signature in mandate.signatures:
        if signature.role is Role.MANDATOR:
            row.mandator_signed_at = signature.signed_at
            row.mandator_sign_method = signature.method
        else:
            row.mandatary_signed_at = signature.signed_at
            row.mandatary_sign_method = signature.method
    if mandate.stop_ is not None:
        row.stopped_at = mandate.stop_.at
        row.stopped_by = mandate.stop_.by.value
        row.stop_reason = mandate.stop_.reason


def event_rows(mandate: Mandate) -> list[MandateEventRow]:
    """Make rows of the events a mandate gathered since it was loaded."""
    rows = [
        MandateEventRow(
            mandate_id=mandate.id,
            kind=e.kind.value,
            at=e.at,
            by_role=e.by.value if e.by else None,
            reason=e.reason,
        )
        for e in mandate.new_events
    ]
    mandate.new_events.clear()
    return rows


def event(row: MandateEventRow) -> Event:
    """Read an event row."""
    by = Role(row.by_role) if row.by_role else None
    return Event(EventKind(row.kind), row.at, by, row.reason)


def as_utc(value: datetime) -> datetime:
    """Read an instant from an aggregate, which bypasses the column type."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
