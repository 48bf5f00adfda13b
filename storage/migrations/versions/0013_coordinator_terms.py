"""coordinator terms: who held the coordinator's term for which organisation, from and until
when, and who handed it over

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 07:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'coordinator_term',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('since', sa.Date(), nullable=True),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('handed_over_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['handed_over_by'], ['user.id']),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_coordinator_term_user_id'), 'coordinator_term', ['user_id'], unique=False)
    op.create_index('uq_coordinator_term_running', 'coordinator_term', ['user_id'], unique=True,
                    sqlite_where=sa.text('until IS NULL'), postgresql_where=sa.text('until IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_coordinator_term_running', table_name='coordinator_term')
    op.drop_index(op.f('ix_coordinator_term_user_id'), table_name='coordinator_term')
    op.drop_table('coordinator_term')
