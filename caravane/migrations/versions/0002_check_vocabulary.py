"""check statuses, reasons, board states and log actions against the vocabulary

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

The values are those of caravane/vocabulary.py on this date, written out: a migration must
not change when the code does. Existing rows already hold only these values.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (table, column, constraint name as the models' naming convention makes it, values)
CHECKS = [
    ('question', 'status', 'ck_question_question_status',
     ('pending', 'approved', 'on_screen', 'answered', 'rejected')),
    ('question', 'reject_reason', 'ck_question_reject_reason',
     ('off_topic', 'duplicate', 'abusive', 'personal_data', 'other')),
    ('stop', 'board_status', 'ck_stop_board_status', ('open', 'voting_only', 'closed')),
    ('moderation_event', 'action', 'ck_moderation_event_log_action',
     ('approve', 'reject', 'show', 'hide', 'answer', 'restore', 'edit', 'board')),
]


def _condition(column, values):
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def upgrade():
    for table, column, name, values in CHECKS:
        # SQLite cannot add a constraint to a table: batch mode copies the table, keeping
        # its rows and indexes (the partial one-on-screen index included, re-created below).
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(op.f(name), sa.text(_condition(column, values)))
    _keep_one_on_screen_index()


def downgrade():
    for table, _column, name, _values in reversed(CHECKS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(name), type_='check')
    _keep_one_on_screen_index()


def _keep_one_on_screen_index():
    """Batch mode may re-create the question table without the partial unique index that keeps
    one question per stop on screen: make sure it is there, as 0001 made it."""
    inspector = sa.inspect(op.get_bind())
    if 'uq_question_one_on_screen' not in {i['name'] for i in inspector.get_indexes('question')}:
        op.create_index('uq_question_one_on_screen', 'question', ['stop_id'], unique=True,
                        sqlite_where=sa.text("status = 'on_screen'"),
                        postgresql_where=sa.text("status = 'on_screen'"))
