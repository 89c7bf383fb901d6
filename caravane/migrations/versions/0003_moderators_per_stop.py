"""moderators per stop: a grant table, and organisers who moderate every stop

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Moderators who existed before this revision keep every stop (every_stop = true).
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'moderator_stop',
        sa.Column('moderator_id', sa.Integer(), nullable=False),
        sa.Column('stop_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['moderator_id'], ['moderator.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['stop_id'], ['stop.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('moderator_id', 'stop_id'),
    )
    with op.batch_alter_table('moderator') as batch:
        batch.add_column(sa.Column('every_stop', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    # New accounts say their stops explicitly (the model's default is false).
    with op.batch_alter_table('moderator') as batch:
        batch.alter_column('every_stop', server_default=sa.false())


def downgrade():
    with op.batch_alter_table('moderator') as batch:
        batch.drop_column('every_stop')
    op.drop_table('moderator_stop')
