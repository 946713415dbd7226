"""The SSM database: tables and constraints, shared by the ORM and the migrations."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
    literal_column,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from service_kit.db import NAMING_CONVENTION, UtcDateTime

OVERLAP_CONSTRAINT = "ex_mandate_no_overlap"
IDEMPOTENCY_KEY_PK = "pk_idempotency_key"


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrations can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MandateTypeRow(Base):
    """One mandate type of the catalogue."""

    __tablename__ = "mandate_type"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    mandator_kinds: Mapped[str] = mapped_column(String(100))
    mandatary_kinds: Mapped[str] = mapped_column(String(100))
    transferable: Mapped[bool]


class MandateRow(Base):
    """One mandate; its status on a day is derived, never stored."""

    __tablename__ = "mandate"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type_code: Mapped[str] = mapped_column(ForeignKey("mandate_type.code"))
    mandator_nrn: Mapped[str] = mapped_column(String(11), index=True)
    mandator_first_name: Mapped[str] = mapped_column(String(200))
    mandator_last_name: Mapped[str] = mapped_column(String(200))
    mandator_kind: Mapped[str] = mapped_column(String(32))
    mandatary_nrn: Mapped[str] = mapped_column(String(11))
    mandatary_first_name: Mapped[str] = mapped_column(String(200))
    mandatary_last_name: Mapped[str] = mapped_column(String(200))
    mandatary_kind: Mapped[str] = mapped_column(String(32))
    initiator: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    state: Mapped[str] = mapped_column(String(16))
    mandator_signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    mandator_sign_method: Mapped[str | None] = mapped_column(String(32))
    mandatary_signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    mandatary_sign_method: Mapped[str | None] = mapped_column(String(32))
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    stopped_by: Mapped[str | None] = mapped_column(String(16))
    stop_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's API
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'signed', 'refused', 'withdrawn', 'stopped', "
            "'expired')",
            name="state",
        ),
        CheckConstraint("initiator IN ('mandator', 'mandatary')", name="initiator"),
        CheckConstraint(
            "end_date IS NULL OR end_date > start_date", name="end_after_start"
        ),
        # The hot path of access decisions and of the represented persons' list.
        Index("ix_mandate_access", "mandatary_nrn", "type_code", "mandator_nrn"),
        # Two mandates of a type between the same persons may not overlap while
        # pending or signed. PostgreSQL enforces it itself, whatever the timing of
        # concurrent requests; SQLite serialises writers, so the check in the use
        # case is enough there.
        ExcludeConstraint(
            ("type_code", "="),
            ("mandator_nrn", "="),
            ("mandatary_nrn", "="),
            (
                func.daterange(
                    literal_column("start_date"), literal_column("end_date")
                ),
                "&&",
            ),
            name=OVERLAP_CONSTRAINT,
            using="gist",
            where="state IN ('pending', 'signed')",
        ).ddl_if(dialect="postgresql"),
    )


class MandateEventRow(Base):
    """One entry of a mandate's history."""

    __tablename__ = "mandate_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mandate_id: Mapped[str] = mapped_column(ForeignKey("mandate.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    by_role: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))


class IdempotencyKeyRow(Base):
    """A creation remembered under the caller's Idempotency-Key."""

    __tablename__ = "idempotency_key"

    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    mandate_id: Mapped[str] = mapped_column(ForeignKey("mandate.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SearchAttemptRow(Base):
    """One person search, kept for the per-caller rate limit."""

    __tablename__ = "search_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    caller: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_search_attempt_caller", "caller", "attempted_at"),
        Index("ix_search_attempt_attempted_at", "attempted_at"),
    )


class MandateContactRow(Base):
    """The parties' mail addresses, kept only while the mandate can still cause mail."""

    __tablename__ = "mandate_contact"

    mandate_id: Mapped[str] = mapped_column(ForeignKey("mandate.id"), primary_key=True)
    mandator_email: Mapped[str | None] = mapped_column(String(320))
    mandatary_email: Mapped[str | None] = mapped_column(String(320))
    reminder_enqueued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboxMessageRow(Base):
    """One mail, written with the change that caused it and sent afterwards."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mandate_id: Mapped[str] = mapped_column(ForeignKey("mandate.id"))
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))

    # The dispatcher's question: unsent, not given up, due first.
    __table_args__ = (
        Index("ix_outbox_message_due", "sent_at", "failed_at", "next_attempt_at"),
    )
