"""question.analysed: the moderation assistant runs after the attendee's acknowledgement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Questions stored before this revision were analysed when they were submitted (true).
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question') as batch:
        batch.add_column(sa.Column('analysed', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('question') as batch:
        batch.drop_column('analysed')
