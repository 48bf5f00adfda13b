"""client ids per author: the visitor's and each advisor's client ids are apart

Before, a client id was unique in its chat, so an advisor line whose id equalled an earlier
visitor id was taken for a repeat and never stored. Now a line records whose client id it is
(`author`: "visitor" or "user:<id>", as storage.messages.author_of says), and the id is unique
per author in the chat. Lines stored before get their author from their user.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 left the old constraint unnamed: SQLite knows it by its columns only (batch mode names it
# by this convention to drop it), PostgreSQL by its default name.
_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
_POSTGRES_NAME = "message_chat_id_client_id_key"
_AUTHOR = sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False, server_default='')


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column('message', _AUTHOR)
    op.execute(
        "UPDATE message SET author = CASE WHEN user_id IS NULL THEN 'visitor' "
        "ELSE 'user:' || CAST(user_id AS VARCHAR) END"
    )
    if sqlite:
        # Nothing refers to message rows, so copying the table is safe.
        with op.batch_alter_table('message', naming_convention=_CONVENTION, recreate='always') as batch_op:
            batch_op.drop_constraint('uq_message_chat_id_client_id', type_='unique')
            batch_op.create_unique_constraint('uq_message_author_client_id', ['chat_id', 'author', 'client_id'])
    else:
        op.drop_constraint(_POSTGRES_NAME, 'message', type_='unique')
        op.create_unique_constraint('uq_message_author_client_id', 'message', ['chat_id', 'author', 'client_id'])


def downgrade() -> None:
    with op.batch_alter_table('message', recreate='always') as batch_op:
        batch_op.drop_constraint('uq_message_author_client_id', type_='unique')
        batch_op.create_unique_constraint(_POSTGRES_NAME, ['chat_id', 'client_id'])
        batch_op.drop_column('author')
