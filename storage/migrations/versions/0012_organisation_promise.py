"""each organisation's promise: the advisors' hours a month it promised the shared service

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: SQLite adds a nullable column in place.
    op.add_column('organisation', sa.Column('promised_hours', sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column('organisation', 'promised_hours')
