"""tour.translations and stop.translations: the tour's texts in English and Arabic

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

JSON objects {"en": {...}, "ar": {...}} written by `flask tour load` from tour.toml; rows stored
before this revision get an empty object (French only) until the tour is loaded again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ('tour', 'stop')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                       server_default=sa.text("'{}'")))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('translations')
