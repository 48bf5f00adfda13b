"""topic links: pages that may help with a topic, per language, and anonymous counts of their use

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'topic_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_topic_link_topic'), 'topic_link', ['topic'], unique=False)
    op.create_table(
        'help_click',
        sa.Column('hour_bucket', storage.types.UtcDateTime(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_help_click_hour_bucket'), 'help_click', ['hour_bucket'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_help_click_hour_bucket'), table_name='help_click')
    op.drop_table('help_click')
    op.drop_index(op.f('ix_topic_link_topic'), table_name='topic_link')
    op.drop_table('topic_link')
