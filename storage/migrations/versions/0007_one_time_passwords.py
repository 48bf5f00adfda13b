"""one-time passwords: a password someone else set opens no session until replaced

Passwords already stored stay as they are (not one-time).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 11:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: SQLite adds a column in place, and copying the table would trip
    # over the rows that refer to users.
    op.add_column('user', sa.Column('password_one_time', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('user', 'password_one_time')
