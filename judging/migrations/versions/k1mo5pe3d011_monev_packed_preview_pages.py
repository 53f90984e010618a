"""monev: preview pages stored as packed integer arrays instead of JSON lists; the
rollback log names the batch that had set each replaced value

Revision ID: k1mo5pe3d011
Revises: b2m0ae7a9c02
Create Date: 2026-12-03 10:00:00.000000

"""
import json
import struct
from array import array

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'k1mo5pe3d011'
down_revision = "j0ma11c1a010"
branch_labels = None
depends_on = None

NONE = -(2**63)
NULL = NONE + 1
HEAD = struct.Struct("<IIB7x")


def _packed(rows: list, width: int) -> bytes:
    """A JSON page ``[row, entry id, code, name, news, olds]`` in the packed layout."""
    news = [NONE if v is None else v for r in rows for v in r[4]]
    keep = any(r[5] for r in rows)
    olds = [v for r in rows for v in (
        [NULL if v is None else v for v in r[5]] if r[5] else [NONE] * width)]
    parts = [HEAD.pack(len(rows), width, keep), array("q", [r[1] for r in rows]).tobytes(),
             array("q", news).tobytes()]
    if keep:  # a JSON page could not tell a stored empty value from none: kept as stored
        parts.append(array("q", olds).tobytes())
    parts.append(array("i", [r[0] for r in rows]).tobytes())
    return b"".join(parts)


def upgrade():
    with op.batch_alter_table('indicator_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('old_batch_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_indicator_changes_old_batch_id_import_batches'), 'import_batches',
            ['old_batch_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('import_batch_pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data', sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    pages = bind.execute(sa.text(
        "SELECT p.id, p.rows, b.summary FROM import_batch_pages p "
        "JOIN import_batches b ON b.id = p.batch_id")).all()
    for page_id, rows, summary in pages:
        rows = json.loads(rows) if isinstance(rows, str) else rows
        summary = json.loads(summary) if isinstance(summary, str) else summary
        width = len((summary or {}).get("keys", []))
        bind.execute(sa.text("UPDATE import_batch_pages SET data = :data WHERE id = :id"),
                     {"data": _packed(rows or [], width), "id": page_id})
    with op.batch_alter_table('import_batch_pages', schema=None) as batch_op:
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('rows')


def downgrade():
    # Packed pages are not turned back into JSON: previews still open are discarded.
    op.execute("UPDATE import_batches SET state = 'discarded' WHERE state = 'previewed'")
    op.execute("DELETE FROM import_batch_pages")
    with op.batch_alter_table('import_batch_pages', schema=None) as batch_op:
        batch_op.drop_column('data')
        batch_op.add_column(sa.Column('rows', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('indicator_changes', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_indicator_changes_old_batch_id_import_batches'), type_='foreignkey')
        batch_op.drop_column('old_batch_id')
