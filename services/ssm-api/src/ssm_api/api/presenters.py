"""From domain objects to the API's response bodies."""

from datetime import date

from ssm_api.api import schemas
from ssm_api.domain.mandate import Event, Mandate, Party
from ssm_api.domain.types import MandateType
from ssm_api.service.ports import RegisterPerson


def party(value: Party) -> schemas.PartyRead:
    """Show one party."""
    return schemas.PartyRead(
        national_number=value.national_number.value,
        first_name=value.first_name,
        last_name=value.last_name,
    )


def mandate(value: Mandate, today: date) -> schemas.MandateRead:
    """Show a mandate with its status for today."""
    stop = value.stop_
    return schemas.MandateRead(
        id=value.id,
        type=value.type_code,
        status=value.status_on(today),
        mandator=party(value.mandator),
        mandatary=party(value.mandatary),
        initiator=value.initiator,
        start_date=value.start_date,
        end_date=value.effective_end_date,
        active_since=value.active_since,
        reference=value.reference,
        language=value.language,
        signatures=[
            schemas.SignatureRead(role=s.role, signed_at=s.signed_at, method=s.method)
            for s in value.signatures
        ],
        stop=schemas.StopRead(at=stop.at, by=stop.by, reason=stop.reason)
        if stop
        else None,
        created_at=value.created_at,
    )


def event(value: Event) -> schemas.EventRead:
    """Show one entry of a mandate's history."""
    return schemas.EventRead(
        kind=value.kind, at=value.at, by=value.by, reason=value.reason
    )


def person(value: RegisterPerson) -> schemas.PersonFound:
    """Show a person found in the register."""
    address = value.address
    return schemas.PersonFound(
        national_number=value.national_number.value,
        first_name=value.first_name,
        last_name=value.last_name,
        address=schemas.AddressRead(
            street=address.street,
            house_number=address.house_number,
            postal_code=address.postal_code,
            municipality=address.municipality,
        ),
    )


def mandate_type(value: MandateType) -> schemas.MandateTypeRead:
    """Show one type of the catalogue."""
    return schemas.MandateTypeRead(
        code=value.code,
        names=value.names,
        mandator_kinds=sorted(value.mandator_kinds),
        mandatary_kinds=sorted(value.mandatary_kinds),
        transferable=value.transferable,
    )
