"""Keep the parties' mail addresses and an outbox of mail about mandates.

Revision ID: 2026_12_03_1400
Revises: 2026_12_03_1000
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_03_1400"
down_revision: str | None = "2026_12_03_1000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "mandate_contact",
        sa.Column("mandate_id", sa.String(36), nullable=False),
        sa.Column("mandator_email", sa.String(320), nullable=True),
        sa.Column("mandatary_email", sa.String(320), nullable=True),
        sa.Column("reminder_enqueued_at", INSTANT, nullable=True),
        sa.ForeignKeyConstraint(
            ["mandate_id"],
            ["mandate.id"],
            name="fk_mandate_contact_mandate_id_mandate",
        ),
        sa.PrimaryKeyConstraint("mandate_id", name="pk_mandate_contact"),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mandate_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", INSTANT, nullable=False),
        sa.Column("sent_at", INSTANT, nullable=True),
        sa.Column("failed_at", INSTANT, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(
            ["mandate_id"],
            ["mandate.id"],
            name="fk_outbox_message_mandate_id_mandate",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_message"),
        sa.UniqueConstraint("message_id", name="uq_outbox_message_message_id"),
    )
    op.create_index(
        "ix_outbox_message_due",
        "outbox_message",
        ["sent_at", "failed_at", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_table("mandate_contact")
