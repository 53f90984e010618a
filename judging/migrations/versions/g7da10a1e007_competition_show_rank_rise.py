"""competition: show "naik peringkat" on public results

A per-competition choice: on a competition copied from last year's, public results mark
the entrants whose rank rose. Off by default, so nothing published changes by itself.

Revision ID: g7da10a1e007
Revises: a1c0u7e5ec01
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'g7da10a1e007'
down_revision = "f6pe5ca1e006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_rank_rise', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('show_rank_rise')
