"""Create the mandate catalogue, mandates, their history, and request bookkeeping.

Revision ID: 2026_12_03_1000
Revises:
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_03_1000"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    mandate_type = op.create_table(
        "mandate_type",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name_nl", sa.String(200), nullable=False),
        sa.Column("name_fr", sa.String(200), nullable=False),
        sa.Column("name_de", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("mandator_kinds", sa.String(100), nullable=False),
        sa.Column("mandatary_kinds", sa.String(100), nullable=False),
        sa.Column("transferable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_mandate_type"),
    )
    op.bulk_insert(
        mandate_type,
        [
            {
                "code": "MYHANDICAP",
                "name_nl": "MyHandicap (DG Personen met een handicap)",
                "name_fr": "MyHandicap (DG Personnes handicapées)",
                "name_de": "MyHandicap (GD Personen mit Behinderung)",
                "name_en": "MyHandicap (DG Persons with Disabilities)",
                "mandator_kinds": "natural_person",
                "mandatary_kinds": "natural_person",
                "transferable": False,
            }
        ],
    )
    op.create_table(
        "mandate",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("type_code", sa.String(32), nullable=False),
        sa.Column("mandator_nrn", sa.String(11), nullable=False),
        sa.Column("mandator_first_name", sa.String(200), nullable=False),
        sa.Column("mandator_last_name", sa.String(200), nullable=False),
        sa.Column("mandator_kind", sa.String(32), nullable=False),
        sa.Column("mandatary_nrn", sa.String(11), nullable=False),
        sa.Column("mandatary_first_name", sa.String(200), nullable=False),
        sa.Column("mandatary_last_name", sa.String(200), nullable=False),
        sa.Column("mandatary_kind", sa.String(32), nullable=False),
        sa.Column("initiator", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("mandator_signed_at", INSTANT, nullable=True),
        sa.Column("mandator_sign_method", sa.String(32), nullable=True),
        sa.Column("mandatary_signed_at", INSTANT, nullable=True),
        sa.Column("mandatary_sign_method", sa.String(32), nullable=True),
        sa.Column("stopped_at", INSTANT, nullable=True),
        sa.Column("stopped_by", sa.String(16), nullable=True),
        sa.Column("stop_reason", sa.String(500), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'signed', 'refused', 'withdrawn', 'stopped', "
            "'expired')",
            name="ck_mandate_state",
        ),
        sa.CheckConstraint(
            "initiator IN ('mandator', 'mandatary')", name="ck_mandate_initiator"
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date > start_date",
            name="ck_mandate_end_after_start",
        ),
        sa.ForeignKeyConstraint(
            ["type_code"],
            ["mandate_type.code"],
            name="fk_mandate_type_code_mandate_type",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mandate"),
    )
    op.create_index("ix_mandate_mandator_nrn", "mandate", ["mandator_nrn"])
    op.create_index(
        "ix_mandate_access", "mandate", ["mandatary_nrn", "type_code", "mandator_nrn"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE mandate ADD CONSTRAINT ex_mandate_no_overlap "
            "EXCLUDE USING gist (type_code WITH =, mandator_nrn WITH =, "
            "mandatary_nrn WITH =, "
            "daterange(start_date, end_date) WITH &&) "
            "WHERE (state IN ('pending', 'signed'))"
        )
    op.create_table(
        "mandate_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mandate_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("by_role", sa.String(16), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandate.id"], name="fk_mandate_event_mandate_id_mandate"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mandate_event"),
    )
    op.create_index("ix_mandate_event_mandate_id", "mandate_event", ["mandate_id"])
    op.create_table(
        "idempotency_key",
        sa.Column("caller", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("mandate_id", sa.String(36), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandate.id"], name="fk_idempotency_key_mandate_id_mandate"
        ),
        sa.PrimaryKeyConstraint("caller", "key", name="pk_idempotency_key"),
    )
    op.create_table(
        "search_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("caller", sa.String(64), nullable=False),
        sa.Column("attempted_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_attempt"),
    )
    op.create_index(
        "ix_search_attempt_caller", "search_attempt", ["caller", "attempted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_search_attempt_caller", table_name="search_attempt")
    op.drop_table("search_attempt")
    op.drop_table("idempotency_key")
    op.drop_index("ix_mandate_event_mandate_id", table_name="mandate_event")
    op.drop_table("mandate_event")
    op.drop_index("ix_mandate_access", table_name="mandate")
    op.drop_index("ix_mandate_mandator_nrn", table_name="mandate")
    op.drop_table("mandate")
    op.drop_table("mandate_type")
