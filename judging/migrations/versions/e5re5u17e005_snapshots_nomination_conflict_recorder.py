"""certificate snapshots, nominated entries, organizer-recorded conflicts

Revision ID: e5re5u17e005
Revises: a1c0u7e5ec01
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5re5u17e005'
down_revision = "g7da10a1e007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nominated', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_conflict_declarations_recorded_by_id_users'),
            'users', ['recorded_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_conflict_declarations_recorded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_column('nominated')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
