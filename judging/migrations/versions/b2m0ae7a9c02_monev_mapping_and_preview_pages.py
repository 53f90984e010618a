"""monev: remembered column mappings per category, preview pages per batch, one index
less on indicator values

Revision ID: b2m0ae7a9c02
Revises: a1c0u7e5ec01
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2m0ae7a9c02'
down_revision = "h8re5u17e008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monev_mapping', sa.JSON(), nullable=False,
                                      server_default='{}'))
    op.create_table('import_batch_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_import_batch_pages_batch_id_import_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch_pages')),
    sa.UniqueConstraint('batch_id', 'page', name=op.f('uq_import_batch_pages_batch_id_page'))
    )
    # The unique (entry_id, indicator_key) index already serves lookups by entry; the
    # second index only slowed every value a large import writes.
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_entry_id'))


def downgrade():
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_values_entry_id'), ['entry_id'],
                              unique=False)
    op.drop_table('import_batch_pages')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('monev_mapping')
