"""marks indexed by time, so a live ranking reads only the marks written since it was kept

Revision ID: x0rank0e0f020
Revises: v8day0e0f018
Create Date: 2026-11-30 05:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'x0rank0e0f020'
down_revision = "v8day0e0f018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marks_updated_at'))
