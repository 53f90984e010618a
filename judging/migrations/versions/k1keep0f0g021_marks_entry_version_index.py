"""marks indexed by entry and version, so a live ranking's key is summed from the index

Revision ID: k1keep0f0g021
Revises: x0rank0e0f020
Create Date: 2026-11-30 07:35:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'k1keep0f0g021'
down_revision = "x0rank0e0f020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index('ix_marks_entry_id_version', ['entry_id', 'version'], unique=False)
        batch_op.drop_index(batch_op.f('ix_marks_entry_id'))


def downgrade():
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_entry_id'), ['entry_id'], unique=False)
        batch_op.drop_index('ix_marks_entry_id_version')
