"""tour.revision: the public pages' version, so they can be cached and revalidated

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Bumped by every `tour load` and by publishing or withdrawing a stop's public record; part of the
tour and stop pages' ETag (caravane/page_cache.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tour') as batch:
        batch.add_column(sa.Column('revision', sa.Integer(), nullable=False,
                                   server_default=sa.text('0')))


def downgrade():
    with op.batch_alter_table('tour') as batch:
        batch.drop_column('revision')
