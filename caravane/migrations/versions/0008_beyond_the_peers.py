"""merged questions, written answers, the answer timer and the public record of each debate

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

question: merged_into_id (the question it was grouped into), asked_by (how many people asked
the question kept, 1 by default), answer / answer_language / answered_at (a written answer);
its status CHECK gains 'merged'. stop: the answer timer (timer_seconds, timer_left_ms,
timer_since). The log's CHECK gains merge, unmerge, reply and record. A new table
debate_record holds each stop's public record. Values written out: a migration must not
change when the code does.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

STATUS = 'ck_question_question_status'
STATUS_BEFORE = ('pending', 'approved', 'on_screen', 'answered', 'rejected')
STATUS_AFTER = (*STATUS_BEFORE, 'merged')
ACTION = 'ck_moderation_event_log_action'
ACTION_BEFORE = ('approve', 'reject', 'show', 'hide', 'answer', 'restore', 'edit', 'board',
                 'queue', 'unqueue', 'move')
ACTION_AFTER = (*ACTION_BEFORE, 'merge', 'unmerge', 'reply', 'record')


def _check(column, values):
    quoted = ", ".join(f"'{value}'" for value in values)
    return sa.text(f"{column} IN ({quoted})")


def upgrade():
    with op.batch_alter_table('question') as batch:
        batch.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('asked_by', sa.Integer(), nullable=False,
                                   server_default=sa.text('1')))
        batch.add_column(sa.Column('answer', sa.Text(), nullable=True))
        batch.add_column(sa.Column('answer_language', sa.String(length=8), nullable=True))
        batch.add_column(sa.Column('answered_at', sa.DateTime(), nullable=True))
        batch.create_foreign_key(op.f('fk_question_merged_into_id_question'), 'question',
                                 ['merged_into_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_question_merged_into', ['merged_into_id'])
        batch.drop_constraint(op.f(STATUS), type_='check')
        batch.create_check_constraint(op.f(STATUS), _check('status', STATUS_AFTER))
    _keep_one_on_screen_index()
    with op.batch_alter_table('moderation_event') as batch:
        batch.drop_constraint(op.f(ACTION), type_='check')
        batch.create_check_constraint(op.f(ACTION), _check('action', ACTION_AFTER))
    with op.batch_alter_table('stop') as batch:
        batch.add_column(sa.Column('timer_seconds', sa.Integer(), nullable=False,
                                   server_default=sa.text('120')))
        batch.add_column(sa.Column('timer_left_ms', sa.Integer(), nullable=False,
                                   server_default=sa.text('120000')))
        batch.add_column(sa.Column('timer_since', sa.DateTime(), nullable=True))
    op.create_table(
        'debate_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stop_id', sa.Integer(), nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('entries', sa.JSON(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['stop_id'], ['stop.id'],
                                name=op.f('fk_debate_record_stop_id_stop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_debate_record')),
        sa.UniqueConstraint('stop_id', name=op.f('uq_debate_record_stop_id')),
    )


def downgrade():
    op.drop_table('debate_record')
    with op.batch_alter_table('stop') as batch:
        for column in ('timer_since', 'timer_left_ms', 'timer_seconds'):
            batch.drop_column(column)
    op.execute("DELETE FROM moderation_event WHERE action IN ('merge', 'unmerge', 'reply', "
               "'record')")
    with op.batch_alter_table('moderation_event') as batch:
        batch.drop_constraint(op.f(ACTION), type_='check')
        batch.create_check_constraint(op.f(ACTION), _check('action', ACTION_BEFORE))
    # A merged question comes back as waiting for a reading: older code knows no grouping.
    op.execute("UPDATE question SET status = 'pending' WHERE status = 'merged'")
    with op.batch_alter_table('question') as batch:
        batch.drop_constraint(op.f(STATUS), type_='check')
        batch.create_check_constraint(op.f(STATUS), _check('status', STATUS_BEFORE))
        batch.drop_index('ix_question_merged_into')
        batch.drop_constraint(op.f('fk_question_merged_into_id_question'), type_='foreignkey')
        for column in ('answered_at', 'answer_language', 'answer', 'asked_by', 'merged_into_id'):
            batch.drop_column(column)
    _keep_one_on_screen_index()


def _keep_one_on_screen_index():
    """Batch mode may re-create the question table without the partial unique index that keeps
    one question per stop on screen (0002 says why): make sure it is there."""
    inspector = sa.inspect(op.get_bind())
    if 'uq_question_one_on_screen' not in {i['name'] for i in inspector.get_indexes('question')}:
        op.create_index('uq_question_one_on_screen', 'question', ['stop_id'], unique=True,
                        sqlite_where=sa.text("status = 'on_screen'"),
                        postgresql_where=sa.text("status = 'on_screen'"))
