"""message claims

A sender takes a message (status ``sending``, when and by whom) before handing it to the
mail server, so two jobs or workers never send the same message; a claim left behind by
a sender that died is taken again by the sweep after ``MAIL_CLAIM_SECONDS``.

Revision ID: j0ma11c1a010
Revises: b2m0ae7a9c02
Create Date: 2026-12-10 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import judging.models.types


# revision identifiers, used by Alembic.
revision = 'j0ma11c1a010'
down_revision = 'b2m0ae7a9c02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', judging.models.types.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('claimed_at')
