"""marks and scoresheets lose their juror_id indexes: the unique keys begin with juror_id

A scoresheet save wrote both beside the unique keys that already serve every lookup by
juror (``uq_marks_juror_id_entry_id_criterion_id``, ``uq_scoresheets_juror_id_entry_id``),
so each save dirtied two index pages that no query needed.

Revision ID: l1lean0f0g022
Revises: k1keep0f0g021
Create Date: 2026-11-30 12:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'l1lean0f0g022'
down_revision = "k1keep0f0g021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marks_juror_id'))
    with op.batch_alter_table('scoresheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scoresheets_juror_id'))


def downgrade():
    with op.batch_alter_table('scoresheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scoresheets_juror_id'), ['juror_id'], unique=False)
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_juror_id'), ['juror_id'], unique=False)
