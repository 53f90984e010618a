"""Statements run on the driver's cursor read and write what SQLAlchemy would, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, event, exc, insert, select, update

from judging import driver_sql
from judging.extensions import db
from judging.models import Criterion, Mark
from judging.models.types import UTCDateTime

_MARKS = (
    select(Mark.id, Mark.value, Mark.updated_at, Mark.version, Criterion.key)
    .join(Criterion, Criterion.id == Mark.criterion_id)
    .where(Mark.entry_id == bindparam("entry"), Criterion.weight >= 0)  # a literal bound too
    .order_by(Mark.id)
)
_ADD = insert(Mark).values(
    juror_id=bindparam("juror"), entry_id=bindparam("entry"), criterion_id=bindparam("criterion"),
    value=bindparam("value"), comment="", version=1, updated_at=bindparam("at"))
_ADD_PLAIN = insert(Mark)  # columns given by the parameters; some left to their defaults
_BUMP = (update(Mark).where(Mark.id == bindparam("mark"), Mark.version == bindparam("seen"))
         .values(value=bindparam("value"), version=Mark.version + 1, updated_at=bindparam("at")))
_IN_LIST = select(Mark.id).where(Mark.id.in_(bindparam("ids", expanding=True))).order_by(Mark.id)

MOMENT = datetime(2026, 5, 12, 5, 56, 7, 123456, tzinfo=UTC)


@pytest.fixture
def sheet(make):
    """A juror, an entry and two criteria, committed."""
    competition = make.competition()
    category = make.category(competition)
    juror = make.juror(competition, [category])
    entry = make.entry(category)
    criteria = db.session.scalars(select(Criterion).where(Criterion.category_id == category.id)
                                  .order_by(Criterion.position)).all()[:2]
    make.commit()
    return juror.id, entry.id, [c.id for c in criteria]


@pytest.fixture
def statements_seen():
    seen = []

    def before(_conn, _cursor, statement, _parameters, _context, many):
        seen.append(("before", statement.split()[0].upper(), many))

    def after(_conn, _cursor, statement, _parameters, _context, many):
        seen.append(("after", statement.split()[0].upper(), many))

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)
    event.remove(db.engine, "after_cursor_execute", after)


def _add_two(connection, sheet, value=Decimal("7.5")):
    juror, entry, (first, second) = sheet
    return driver_sql.run_many(connection, _ADD, [
        {"juror": juror, "entry": entry, "criterion": first, "value": value, "at": MOMENT},
        {"juror": juror, "entry": entry, "criterion": second, "value": None, "at": MOMENT},
    ])


def test_rows_and_writes_are_what_sqlalchemy_reads_and_stores(sheet, statements_seen):
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":  # the driver's own path; SQLAlchemy's elsewhere
        assert driver_sql._plan(connection, _MARKS) is not None
        assert driver_sql._plan(connection, _ADD, {"juror": 1, "entry": 1, "criterion": 1,
                                                   "value": 1, "at": MOMENT}) is not None
    assert _add_two(connection, sheet) == (2 if connection.dialect.name == "sqlite" else -1)
    plain = driver_sql.rows(connection, _MARKS, {"entry": sheet[1]})
    usual = connection.execute(_MARKS, {"entry": sheet[1]}).all()
    assert [tuple(row) for row in plain] == [tuple(row) for row in usual]
    assert plain[0].value == Decimal("7.50") and plain[1].value is None  # ScaledDecimal both ways
    assert plain[0].updated_at == MOMENT and plain[0].updated_at.tzinfo is not None
    assert plain[0]._fields == ("id", "value", "updated_at", "version", "key")
    # the engine's listeners saw each statement once, before and after, executemany flagged
    assert statements_seen[:2] == [("before", "INSERT", True), ("after", "INSERT", True)]
    assert statements_seen[2:4] == [("before", "SELECT", False), ("after", "SELECT", False)]


def test_a_value_the_rows_share_is_typed_once_and_stored_in_each(sheet, monkeypatch):
    """A save's rows share their moment: one object, typed once for the whole executemany;
    equal values that are other objects are typed each."""
    typed = []
    original = UTCDateTime.process_bind_param

    def counting(self, value, dialect):
        typed.append(value)
        return original(self, value, dialect)

    monkeypatch.setattr(UTCDateTime, "process_bind_param", counting)
    monkeypatch.setattr(driver_sql, "_PLANS", {})  # plans made afresh with the counting
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    _add_two(connection, sheet)
    assert len(typed) == (1 if sqlite else 2)  # SQLAlchemy's own path types every row
    juror, entry, (first, second) = sheet
    copy = MOMENT.replace()  # equal, another object
    assert copy is not MOMENT
    typed.clear()
    driver_sql.run_many(connection, _BUMP, [
        {"mark": mark_id, "seen": 1, "value": 5, "at": at}
        for mark_id, at in zip(db.session.scalars(select(Mark.id).order_by(Mark.id)),
                               (MOMENT, copy), strict=True)])
    assert len(typed) == 2
    stored = driver_sql.rows(connection, _MARKS, {"entry": entry})
    assert [row.updated_at for row in stored] == [MOMENT, MOMENT]
    assert [row.value for row in stored] == [Decimal("5.00"), Decimal("5.00")]


def test_a_write_prepared_ahead_is_not_worked_out_again(sheet):
    connection = db.session.connection()
    given = {"juror": 0, "entry": 0, "criterion": 0, "value": None, "at": MOMENT}
    driver_sql.forget_plans([_ADD])
    sqlite = connection.dialect.name == "sqlite"
    assert driver_sql.prepare(connection, _ADD, given) is sqlite
    assert db.session.scalars(select(Mark)).all() == []  # preparing ran nothing
    planned = dict(driver_sql._PLANS)
    _add_two(connection, sheet)  # the same keys: the plan worked out ahead is the one used
    assert driver_sql._PLANS == planned


def test_an_update_reports_the_rows_it_touched_so_a_stale_version_shows(sheet):
    connection = db.session.connection()
    _add_two(connection, sheet)
    mark = driver_sql.rows(connection, _MARKS, {"entry": sheet[1]})[0]
    later = {"mark": mark.id, "value": Decimal("9"), "at": MOMENT}
    assert driver_sql.run(connection, _BUMP, {**later, "seen": mark.version}) == 1
    assert driver_sql.run(connection, _BUMP, {**later, "seen": mark.version}) == 0  # stale
    db.session.commit()
    stored = db.session.get(Mark, mark.id)
    assert (stored.value, stored.version) == (Decimal("9.00"), 2)


def test_defaults_the_statement_leaves_out_are_still_filled_in(sheet):
    juror, entry, (first, _second) = sheet
    connection = db.session.connection()
    given = {"juror_id": juror, "entry_id": entry, "criterion_id": first, "value": Decimal(3)}
    assert driver_sql._plan(connection, _ADD_PLAIN, given) is None
    driver_sql.run_many(connection, _ADD_PLAIN, [given])  # SQLAlchemy's path
    db.session.commit()
    stored = db.session.scalars(select(Mark)).one()
    assert stored.version == 1 and stored.comment == "" and stored.updated_at is not None


def test_a_driver_error_arrives_as_sqlalchemys_and_nothing_is_kept(sheet):
    connection = db.session.connection()
    _add_two(connection, sheet)
    with pytest.raises(exc.IntegrityError):
        _add_two(connection, sheet)  # the same juror × entry × criterion again
    db.session.rollback()
    assert db.session.scalars(select(Mark)).all() == []


def test_values_that_change_the_sql_take_sqlalchemys_path(sheet):
    connection = db.session.connection()
    _add_two(connection, sheet)
    ids = [row.id for row in driver_sql.rows(connection, _MARKS, {"entry": sheet[1]})]
    assert [row.id for row in driver_sql.rows(connection, _IN_LIST, {"ids": ids})] == ids
    assert driver_sql.run_many(connection, _ADD, []) == 0


def test_a_connection_outside_a_transaction_is_begun_first(app, sheet):
    with db.engine.connect() as connection:
        assert not connection.in_transaction()
        driver_sql.rows(connection, _MARKS, {"entry": sheet[1]})
        assert connection.in_transaction()
        if connection.dialect.name == "sqlite":
            assert connection.info["sqlite_tx"] == "read"  # the BEGIN hook ran; no write lock
            _add_two(connection, sheet)
            assert connection.info["sqlite_tx"] == "write"  # taken at the first write, as usual
        connection.rollback()
    assert db.session.scalars(select(Mark)).all() == []


def _hot_statements():
    from judging.marking import marks, scoring_entry, sheet_read
    from judging.participant import loading
    from judging.security import _SIGNED_IN

    return [(_MARKS, None), (_ADD, None), (_BUMP, None), (_SIGNED_IN, None),
            (scoring_entry._PAGE, None), (sheet_read._SAVE_READ, None),
            (loading._OWN_ROWS, None), (marks._UPDATE_MARK, None),
            (marks._INSERT_NEW_EVENTS, ("given_id", "m_criterion", "s_juror", "m_juror",
                                        "m_entry", "action", "object_type", "competition_id",
                                        "before", "after", "note", "actor_id", "at"))]


@pytest.mark.parametrize("paramstyle", ["qmark", "named"])
def test_parameters_worked_out_once_are_what_sqlalchemy_works_out_each_time(
        app, tmp_path, paramstyle):
    """Every parameter of the hot statements, typed and in the driver's order, as
    ``construct_params`` and the bind processors give them."""
    from dataclasses import replace

    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'plans.db'}", paramstyle=paramstyle)
    try:
        with engine.connect() as connection:
            for statement, keys in _hot_statements():
                compiled = statement.compile(dialect=connection.dialect)
                names = keys or [b.key for b in compiled.binds.values() if b.required]
                given = {name: MOMENT if "at" in name or name == "now" else 3 for name in names}
                plan = driver_sql._plan(connection, statement, given)
                assert plan is not None and plan.slots is not None, str(statement)[:60]
                usual = driver_sql._parameters(replace(plan, slots=None), given)
                assert driver_sql._parameters(plan, given) == usual, str(statement)[:60]
                if names:
                    with pytest.raises(exc.InvalidRequestError):
                        driver_sql._parameters(plan, {})
    finally:
        engine.dispose()
