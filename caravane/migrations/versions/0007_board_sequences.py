"""stop.public_sequence and stop.console_sequence: numbered changes, so that pages notice gaps

Every change a stop's clients hear about is numbered, so a page that missed one (a message-queue
outage) notices and asks for a snapshot.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Both start at 0; they only grow, across restarts and processes (docs/protocol.md, Sequence).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COLUMNS = ('public_sequence', 'console_sequence')


def upgrade():
    with op.batch_alter_table('stop') as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=False,
                                       server_default=sa.text('0')))


def downgrade():
    with op.batch_alter_table('stop') as batch:
        for column in COLUMNS:
            batch.drop_column(column)
