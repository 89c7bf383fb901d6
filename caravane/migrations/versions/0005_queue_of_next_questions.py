"""the moderators' queue of next questions, and its lines in the moderation log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

question.queue_position (null: not queued); the log's CHECK constraint gains queue, unqueue and
move. The values are written out here: a migration must not change when the code does.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

NAME = 'ck_moderation_event_log_action'
BEFORE = ('approve', 'reject', 'show', 'hide', 'answer', 'restore', 'edit', 'board')
AFTER = (*BEFORE, 'queue', 'unqueue', 'move')


def _check(values):
    quoted = ", ".join(f"'{value}'" for value in values)
    return sa.text(f"action IN ({quoted})")


def upgrade():
    with op.batch_alter_table('question') as batch:
        batch.add_column(sa.Column('queue_position', sa.Integer(), nullable=True))
    with op.batch_alter_table('moderation_event') as batch:
        batch.drop_constraint(op.f(NAME), type_='check')
        batch.create_check_constraint(op.f(NAME), _check(AFTER))


def downgrade():
    op.execute("DELETE FROM moderation_event WHERE action IN ('queue', 'unqueue', 'move')")
    with op.batch_alter_table('moderation_event') as batch:
        batch.drop_constraint(op.f(NAME), type_='check')
        batch.create_check_constraint(op.f(NAME), _check(BEFORE))
    with op.batch_alter_table('question') as batch:
        batch.drop_column('queue_position')
