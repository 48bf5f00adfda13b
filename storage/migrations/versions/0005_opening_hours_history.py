"""opening hours history: weekly hours in force from a date

The weekly hours already stored are kept, in force since always and still in force (no since,
no until): what the service had before is what it has now, and no change has been recorded.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:22:41.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('weekly_opening', schema=None) as batch_op:
        batch_op.add_column(sa.Column('since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('until', sa.Date(), nullable=True))


def downgrade() -> None:
    # Going back keeps only the hours in force now, as the schema before had them.
    op.execute(sa.text("DELETE FROM weekly_opening WHERE until IS NOT NULL"))
    with op.batch_alter_table('weekly_opening', schema=None) as batch_op:
        batch_op.drop_column('until')
        batch_op.drop_column('since')
