"""conflict declarations remember how many jurors the entry had before

Revision ID: h8re5u17e008
Revises: e5re5u17e005
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h8re5u17e008'
down_revision = "c3ma11e5d003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('jurors_before', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.drop_column('jurors_before')
