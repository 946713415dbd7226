"""Create the dossier, application and access log tables.

Revision ID: 5c1d2e3f4a6b
Revises:
Create Date: 2026-12-03 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1d2e3f4a6b"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "income_replacement_allowance",
    "integration_allowance",
    "assistance_to_elderly_allowance",
    "parking_card",
    "social_and_tax_advantages",
)
STATUSES = ("submitted", "in_review", "decided", "rejected")
BASES = ("own", "professional", "mandate")
ACTIONS = (
    "open_dossier",
    "list_applications",
    "read_application",
    "submit_application",
    "read_access_log",
)
OUTCOMES = ("allowed", "denied")


def _one_of(column: str, values: Sequence[str], *, nullable: bool = False) -> str:
    # Values are copied here, not imported: a migration must not change when the
    # application's enums change later.
    check = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {check}" if nullable else check


def _nrn(name: str, **options: bool) -> sa.Column[str]:
    return sa.Column(name, sa.String(11), nullable=False, **options)


def _name(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(200), nullable=nullable)


def _instant(name: str) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "dossier",
        _nrn("national_number"),
        _name("first_name", nullable=True),
        _name("last_name", nullable=True),
        _instant("created_at"),
        sa.PrimaryKeyConstraint("national_number", name=op.f("pk_dossier")),
    )
    _create_application()
    _create_access_log_entry()


def _create_application() -> None:
    op.create_table(
        "application",
        sa.Column("id", sa.Uuid(), nullable=False),
        _nrn("dossier_national_number"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _instant("submitted_at"),
        _nrn("submitted_by_national_number"),
        _name("submitted_by_first_name"),
        _name("submitted_by_last_name"),
        _name("submitted_by_organisation", nullable=True),
        sa.Column("submitted_by_professional", sa.Boolean(), nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("mandate_id", sa.String(64), nullable=True),
        sa.CheckConstraint(_one_of("kind", KINDS), name=op.f("ck_application_kind")),
        sa.CheckConstraint(
            _one_of("status", STATUSES), name=op.f("ck_application_status")
        ),
        sa.CheckConstraint(_one_of("basis", BASES), name=op.f("ck_application_basis")),
        sa.ForeignKeyConstraint(
            ["dossier_national_number"],
            ["dossier.national_number"],
            name=op.f("fk_application_dossier_national_number_dossier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
    )
    op.create_index(
        op.f("ix_application_dossier_national_number"),
        "application",
        ["dossier_national_number"],
    )


def _create_access_log_entry() -> None:
    op.create_table(
        "access_log_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
            autoincrement=True,
        ),
        _nrn("owner_national_number"),
        _nrn("actor_national_number"),
        _name("actor_first_name"),
        _name("actor_last_name"),
        _name("actor_organisation", nullable=True),
        sa.Column("actor_professional", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("basis", sa.String(20), nullable=True),
        sa.Column("mandate_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.String(40), nullable=True),
        _instant("occurred_at"),
        sa.CheckConstraint(
            _one_of("action", ACTIONS), name=op.f("ck_access_log_entry_action")
        ),
        sa.CheckConstraint(
            _one_of("outcome", OUTCOMES), name=op.f("ck_access_log_entry_outcome")
        ),
        sa.CheckConstraint(
            _one_of("basis", BASES, nullable=True),
            name=op.f("ck_access_log_entry_basis"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log_entry")),
    )
    op.create_index(
        op.f("ix_access_log_entry_owner_national_number"),
        "access_log_entry",
        ["owner_national_number"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_access_log_entry_owner_national_number"),
        table_name="access_log_entry",
    )
    op.drop_table("access_log_entry")
    op.drop_index(
        op.f("ix_application_dossier_national_number"), table_name="application"
    )
    op.drop_table("application")
    op.drop_table("dossier")
