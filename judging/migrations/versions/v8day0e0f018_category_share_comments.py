"""category: show jurors' comments to participants

A per-category choice: with the published result, participants read the jurors' comments
(per criterion and overall) as "Juri 1", "Juri 2". Off by default, so nothing already
published shows more by itself.

Revision ID: v8day0e0f018
Revises: d4saq0a1b004
Create Date: 2026-11-30 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'v8day0e0f018'
down_revision = "d4saq0a1b004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_comments', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('share_comments')
