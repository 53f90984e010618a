"""account origin and password set time

Which organising body created an account, and when its password was last set, so an
organizer only hands set-password links for accounts their own body created and that
never had a password.

Revision ID: a1c0u7e5ec01
Revises: 648bf727edd8
Create Date: 2026-12-02 10:00:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import judging.models.types


# revision identifiers, used by Alembic.
revision = 'a1c0u7e5ec01'
down_revision = '648bf727edd8'
branch_labels = None
depends_on = None

# The body behind an account's earliest role grant: the organizer who created the account
# granted its first role in the same step (juror of a competition, participant of an entrant).
FIRST_GRANT_BODY = """
UPDATE users SET created_by_organisation_id = (
    SELECT COALESCE(g.organisation_id, c.organisation_id, e.organisation_id)
    FROM role_grants g
    LEFT JOIN competitions c ON c.id = g.competition_id
    LEFT JOIN entrants e ON e.id = g.entrant_id
    WHERE g.user_id = users.id
    ORDER BY g.id LIMIT 1
)
WHERE password_hash IS NULL
"""

# Links handed out before this revision stay dangerous once the person has a password
# (another body's organizer may hold one): mark them used.
REVOKE_LINKS = sa.text(
    "UPDATE invitations SET used_at = :now WHERE used_at IS NULL "
    "AND user_id IN (SELECT id FROM users WHERE password_hash IS NOT NULL)"
)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('password_set_at', judging.models.types.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_users_created_by_organisation_id_organisations'),
            'organisations', ['created_by_organisation_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE users SET password_set_at = created_at WHERE password_hash IS NOT NULL")
    op.execute(FIRST_GRANT_BODY)
    op.execute(REVOKE_LINKS.bindparams(now=datetime.now(UTC).replace(tzinfo=None)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_users_created_by_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_column('password_set_at')
        batch_op.drop_column('created_by_organisation_id')
