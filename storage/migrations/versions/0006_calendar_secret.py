"""calendar secret: each user's part of their calendar feed's token

Users already stored get "" and keep the feed address they had, until it is renewed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: SQLite adds a column in place, and copying the table would trip
    # over the rows that refer to users.
    op.add_column('user', sa.Column('calendar_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                    server_default=''))


def downgrade() -> None:
    op.drop_column('user', 'calendar_secret')
