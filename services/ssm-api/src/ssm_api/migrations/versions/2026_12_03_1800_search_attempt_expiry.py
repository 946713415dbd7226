"""Index search attempts by time, so that expired ones are forgotten cheaply.

Revision ID: 2026_12_03_1800
Revises: 2026_12_03_1400
Create Date: 2026-12-03 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2026_12_03_1800"
down_revision: str | None = "2026_12_03_1400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_search_attempt_attempted_at", "search_attempt", ["attempted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_search_attempt_attempted_at", table_name="search_attempt")
