"""Request and response bodies of the MyHandicap API, named by their use."""

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from myhandicap_api.api import examples as ex
from myhandicap_api.domain.access import (
    AccessAction,
    AccessBasis,
    AccessLogEntry,
    Actor,
    Outcome,
)
from myhandicap_api.domain.dossier import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Person,
)
from myhandicap_api.domain.people import PersonKind, RepresentedPerson
from myhandicap_api.service.dossiers import DossierView
from myhandicap_api.service.people import Me


class MeRead(BaseModel):
    """The logged-in person."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.ME]})

    national_number: str
    first_name: str
    last_name: str
    kind: PersonKind
    organisation: str | None = Field(description="Set for professionals only.")
    manage_mandates_url: str = Field(description="Where mandates are managed in SSM.")

    @classmethod
    def of(cls, me: Me) -> "MeRead":
        """Describe the logged-in person."""
        return cls.model_validate(me, from_attributes=True)


class RepresentedPersonRead(BaseModel):
    """A person the caller may act for, and the mandate that allows it."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN_REPRESENTED]})

    mandate_id: str
    national_number: str
    first_name: str
    last_name: str
    active_since: date | None
    end_date: date | None = Field(description="The first day without access, if any.")

    @classmethod
    def of(cls, person: RepresentedPerson) -> "RepresentedPersonRead":
        """Describe one represented person."""
        return cls.model_validate(person, from_attributes=True)


class RepresentedPersonList(BaseModel):
    """The persons the caller represents, by last name, then first name."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [ex.JAN_REPRESENTED]}]}
    )

    items: list[RepresentedPersonRead]


class PersonRead(BaseModel):
    """The owner of a dossier; names are null when MyHandicap does not know them."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN]})

    national_number: str
    first_name: str | None
    last_name: str | None

    @classmethod
    def of(cls, person: Person) -> "PersonRead":
        """Describe a dossier's owner."""
        return cls.model_validate(person, from_attributes=True)


class ActorRead(BaseModel):
    """A person who acted on a dossier with his or her own login."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JANE]})

    national_number: str
    first_name: str
    last_name: str
    organisation: str | None = Field(description="Set when a professional acted.")

    @classmethod
    def of(cls, actor: Actor) -> "ActorRead":
        """Describe who acted."""
        return cls.model_validate(actor, from_attributes=True)


class AccessRead(BaseModel):
    """On which basis the caller acts on the dossier."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.BY_MANDATE]})

    basis: AccessBasis
    mandate_id: str | None = Field(description="Set when the basis is a mandate.")


class ApplicationCreate(BaseModel):
    """An application to submit for the dossier's owner."""

    model_config = ConfigDict(extra="forbid")

    kind: ApplicationKind
    note: str | None = Field(default=None, max_length=2000)


class ApplicationRead(BaseModel):
    """An application, who submitted it, for whom, and on which basis."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.PARKING_CARD]})

    id: uuid.UUID
    owner_national_number: str = Field(description="For whom it was submitted.")
    kind: ApplicationKind
    status: ApplicationStatus
    note: str | None
    submitted_at: datetime
    submitted_by: ActorRead
    basis: AccessBasis
    mandate_id: str | None

    @classmethod
    def of(cls, application: Application) -> "ApplicationRead":
        """Describe an application."""
        return cls.model_validate(application, from_attributes=True)


class ApplicationList(BaseModel):
    """A dossier's applications, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.APPLICATIONS]})

    items: list[ApplicationRead]


class DossierRead(BaseModel):
    """A dossier: its owner, its applications, and the caller's basis to open it."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.DOSSIER]})

    person: PersonRead
    applications: list[ApplicationRead]
    access: AccessRead

    @classmethod
    def of(cls, view: DossierView) -> "DossierRead":
        """Describe an opened dossier."""
        assert view.access.basis is not None
        return cls(
            person=PersonRead.of(view.person),
            applications=[ApplicationRead.of(a) for a in view.applications],
            access=AccessRead(
                basis=view.access.basis, mandate_id=view.access.mandate_id
            ),
        )


class AccessLogEntryRead(BaseModel):
    """One attempt to act on the dossier, allowed or denied."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.SUBMITTED]})

    occurred_at: datetime
    action: AccessAction
    outcome: Outcome
    actor: ActorRead
    basis: AccessBasis | None = Field(description="Null when the attempt was denied.")
    mandate_id: str | None
    reason: str | None = Field(description="Why a denied attempt was denied.")

    @classmethod
    def of(cls, entry: AccessLogEntry) -> "AccessLogEntryRead":
        """Describe one attempt."""
        decision = entry.decision
        return cls(
            occurred_at=entry.occurred_at,
            action=entry.action,
            outcome=entry.outcome,
            actor=ActorRead.of(entry.actor),
            basis=decision.basis,
            mandate_id=decision.mandate_id,
            reason=decision.reason,
        )


class AccessLogRead(BaseModel):
    """Who opened or acted on the dossier, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.ACCESS_LOG]})

    items: list[AccessLogEntryRead]
