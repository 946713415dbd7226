"""Tables of MyHandicap, as SQLAlchemy 2 mapped classes.

Kinds, statuses, bases and outcomes are stored as text with check constraints: the
domain owns the lists, and a new value needs a migration, never a column type change.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from myhandicap_api.domain.access import AccessAction, AccessBasis, Outcome
from myhandicap_api.domain.dossier import ApplicationKind, ApplicationStatus
from service_kit.db import NAMING_CONVENTION, UtcDateTime

NRN = String(11)
NAME = String(200)


class Base(DeclarativeBase):
    """Base of the mapped classes, with names for every constraint."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: Iterable[StrEnum], *, nullable: bool = False) -> str:
    """Write the check that a text column holds one of the domain's values."""
    listed = ", ".join(f"'{v.value}'" for v in values)
    check = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {check}" if nullable else check


class DossierRow(Base):
    """A person's dossier, keyed by the owner's national number."""

    __tablename__ = "dossier"

    national_number: Mapped[str] = mapped_column(NRN, primary_key=True)
    first_name: Mapped[str | None] = mapped_column(NAME)
    last_name: Mapped[str | None] = mapped_column(NAME)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApplicationRow(Base):
    """An application for a benefit, with who submitted it and on which basis."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(one_of("kind", ApplicationKind), name="kind"),
        CheckConstraint(one_of("status", ApplicationStatus), name="status"),
        CheckConstraint(one_of("basis", AccessBasis), name="basis"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True)
    dossier_national_number: Mapped[str] = mapped_column(
        NRN, ForeignKey("dossier.national_number"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_by_national_number: Mapped[str] = mapped_column(NRN)
    submitted_by_first_name: Mapped[str] = mapped_column(NAME)
    submitted_by_last_name: Mapped[str] = mapped_column(NAME)
    submitted_by_organisation: Mapped[str | None] = mapped_column(NAME)
    submitted_by_professional: Mapped[bool] = mapped_column(Boolean())
    basis: Mapped[str] = mapped_column(String(20))
    mandate_id: Mapped[str | None] = mapped_column(String(64))


class AccessLogEntryRow(Base):
    """One attempt to act on a dossier, allowed or denied.

    No foreign key to the dossier: refused attempts on dossiers that do not exist
    are recorded too, and recording them must not create the dossier.
    """

    __tablename__ = "access_log_entry"
    __table_args__ = (
        CheckConstraint(one_of("action", AccessAction), name="action"),
        CheckConstraint(one_of("outcome", Outcome), name="outcome"),
        CheckConstraint(one_of("basis", AccessBasis, nullable=True), name="basis"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    owner_national_number: Mapped[str] = mapped_column(NRN, index=True)
    actor_national_number: Mapped[str] = mapped_column(NRN)
    actor_first_name: Mapped[str] = mapped_column(NAME)
    actor_last_name: Mapped[str] = mapped_column(NAME)
    actor_organisation: Mapped[str | None] = mapped_column(NAME)
    actor_professional: Mapped[bool] = mapped_column(Boolean())
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(10))
    basis: Mapped[str | None] = mapped_column(String(20))
    mandate_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
