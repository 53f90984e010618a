"""Each test starts on an empty database whose ids start at 1, on SQLite and PostgreSQL.

The two tests run in file order: the first fills tables and uses up ids, the second sees
what the reset between tests left (a template copy on SQLite, emptied tables on PostgreSQL).
"""

from sqlalchemy import func, select

from judging.extensions import db
from judging.models import Organisation, RoleGrant, User


def test_a_test_fills_tables_and_uses_up_ids(make):
    for _ in range(3):
        make.grant(make.user(), "organizer", competition_id=make.competition().id)
    make.commit()
    doomed = make.organisation()
    make.commit()
    db.session.delete(doomed)  # a table emptied again still has its sequence used up
    make.commit()
    assert db.session.scalar(select(func.max(User.id))) == 3


def test_the_next_test_starts_empty_with_ids_from_one(make):
    for model in (User, Organisation, RoleGrant):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert make.organisation().id == 1
    assert make.user().id == 1
