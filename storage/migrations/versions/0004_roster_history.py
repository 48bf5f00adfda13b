"""roster history: a shift's template and date, cancelled shifts kept

Every shift already stored stays as it is, on the roster and made from no template (which
template made a stored shift cannot be told for sure: the service's time zone is a setting, not
in the database). So applying the templates again to a week applied before this migration skips
the shifts still there as identical, but not one given to someone else meanwhile.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:08:59.983523
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('template_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', storage.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint('uq_shift_template_day', ['template_id', 'template_day'])
        batch_op.create_foreign_key('fk_shift_template_id', 'shift_template', ['template_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_constraint('fk_shift_template_id', type_='foreignkey')
        batch_op.drop_constraint('uq_shift_template_day', type_='unique')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('template_day')
        batch_op.drop_column('template_id')
