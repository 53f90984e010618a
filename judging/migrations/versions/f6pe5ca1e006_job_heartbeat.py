"""job heartbeat

A running job's worker records when it was last alive, so a job whose worker died or
stalled is marked failed within a minute instead of blocking new batches for hours.

Revision ID: f6pe5ca1e006
Revises: a1c0u7e5ec01
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import judging.models.types


# revision identifiers, used by Alembic.
revision = 'f6pe5ca1e006'
down_revision = 'a1c0u7e5ec01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', judging.models.types.UTCDateTime(),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
