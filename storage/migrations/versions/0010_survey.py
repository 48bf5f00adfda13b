"""the post-chat questionnaire: coordinators' questions, the visitors' answers, and whether a
chat's visitor has answered (once a chat)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'survey_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('text_fi', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('text_sv', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('text_en', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('options', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('retired', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'survey_answer',
        sa.Column('hour_bucket', storage.types.UtcDateTime(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=True),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(['chat_id'], ['chat.id']),
        sa.ForeignKeyConstraint(['question_id'], ['survey_question.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_survey_answer_chat_id'), 'survey_answer', ['chat_id'], unique=False)
    op.create_index(op.f('ix_survey_answer_hour_bucket'), 'survey_answer', ['hour_bucket'], unique=False)
    op.create_index(op.f('ix_survey_answer_question_id'), 'survey_answer', ['question_id'], unique=False)
    # Not in batch mode: SQLite adds a column in place, and copying the table would trip over the
    # rows that refer to chats.
    op.add_column('chat', sa.Column('survey_answered', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('chat', 'survey_answered')
    op.drop_index(op.f('ix_survey_answer_question_id'), table_name='survey_answer')
    op.drop_index(op.f('ix_survey_answer_hour_bucket'), table_name='survey_answer')
    op.drop_index(op.f('ix_survey_answer_chat_id'), table_name='survey_answer')
    op.drop_table('survey_answer')
    op.drop_table('survey_question')
