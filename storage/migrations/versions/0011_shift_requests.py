"""advisors' requests to change the roster: offers to cover a gap, swaps and give-aways

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'shift_request',
        sa.Column('start', storage.types.UtcDateTime(), nullable=True),
        sa.Column('end', storage.types.UtcDateTime(), nullable=True),
        sa.Column('created_at', storage.types.UtcDateTime(), nullable=False),
        sa.Column('agreed_at', storage.types.UtcDateTime(), nullable=True),
        sa.Column('decided_at', storage.types.UtcDateTime(), nullable=True),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('requester_id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=True),
        sa.Column('other_user_id', sa.Integer(), nullable=True),
        sa.Column('other_shift_id', sa.Integer(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['other_shift_id'], ['shift.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['other_user_id'], ['user.id']),
        sa.ForeignKeyConstraint(['requester_id'], ['user.id']),
        sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_shift_request_other_user_id'), 'shift_request', ['other_user_id'], unique=False)
    op.create_index(op.f('ix_shift_request_requester_id'), 'shift_request', ['requester_id'], unique=False)
    op.create_index(op.f('ix_shift_request_status'), 'shift_request', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_shift_request_status'), table_name='shift_request')
    op.drop_index(op.f('ix_shift_request_requester_id'), table_name='shift_request')
    op.drop_index(op.f('ix_shift_request_other_user_id'), table_name='shift_request')
    op.drop_table('shift_request')
