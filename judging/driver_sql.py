"""Prebuilt statements run straight on the DB-API cursor, for the few that every request makes.

SQLAlchemy's execution layer (parameter handling, the result object, its context) costs
several times an indexed SQLite read. For a statement built once at import, the compiled SQL,
the order of its parameters and its columns' type processors are worked out once per
dialect; each run then goes past the engine's cursor listeners (the SQLite lock hook,
statement counts) exactly as SQLAlchemy would, and driver errors arrive as SQLAlchemy's
exceptions. Other databases, an echoing engine, and statements whose SQL depends on the
values (expanding ``IN`` lists) take SQLAlchemy's own path.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Plan:
    sql: str
    compiled: Any
    names: tuple[str, ...] | None  # parameter order for a positional paramstyle
    binds: tuple[tuple[str, Any], ...]  # (parameter, processor) of typed parameters
    results: tuple | None  # one result processor (or None) per selected column
    row: type | None
    # (name, the caller's key, the statement's own value or _GIVEN, processor) per driver
    # parameter, in the driver's order: what ``construct_params`` does on every run, done once
    slots: tuple[tuple[str, str, Any, Any], ...] | None = None


_GIVEN = object()  # a parameter the caller must give
_UNSEEN = object()  # no row of this executemany has given the parameter a value yet


_PLANS: dict[tuple, tuple[ClauseElement, _Plan | None]] = {}
_PLANS_KEPT = 512  # statements are module constants; a caller building them afresh only costs


def rows(connection: Connection, statement: ClauseElement, params: Mapping | None = None) -> list:
    """Every row of a SELECT, as named tuples (SQLAlchemy ``Row`` objects elsewhere)."""
    plan = _plan(connection, statement)
    if plan is None or plan.row is None:
        return connection.execute(statement, dict(params or {})).all()
    cursor = _run(connection, plan, _parameters(plan, params), many=False)
    try:
        fetched = cursor.fetchall()
    finally:
        cursor.close()
    results, make = plan.results, plan.row._make
    if not any(results):
        return [make(row) for row in fetched]
    return [make([value if process is None else process(value)
                  for process, value in zip(results, row, strict=True)]) for row in fetched]


def run(connection: Connection, statement: ClauseElement, params: Mapping | None = None) -> int:
    """An INSERT, UPDATE or DELETE; returns the number of rows it touched."""
    plan = _plan(connection, statement, params)
    if plan is None:
        return connection.execute(statement, dict(params or {})).rowcount
    cursor = _run(connection, plan, _parameters(plan, params), many=False)
    count = cursor.rowcount
    cursor.close()
    return count


def run_many(connection: Connection, statement: ClauseElement,
             params: Sequence[Mapping]) -> int:
    """One statement for many parameter sets (DB-API ``executemany``).

    Returns the rows touched, or -1 where the driver does not say (SQLAlchemy's batched
    inserts on PostgreSQL), as DB-API's ``rowcount`` does.
    """
    if not params:
        return 0
    plan = _plan(connection, statement, params[0])
    if plan is None or any(p.keys() != params[0].keys() for p in params):
        return connection.execute(statement, [dict(p) for p in params]).rowcount
    cursor = _run(connection, plan, _many_parameters(plan, params), many=True)
    count = cursor.rowcount
    cursor.close()
    return count


def prepare(connection: Connection, statement: ClauseElement,
            params: Mapping | None = None) -> bool:
    """Work the statement's plan out now without running it (a worker's warm-up).

    ``params``: for an INSERT or UPDATE, a parameter set with the keys its callers give.
    Returns whether it will run on the driver's cursor.
    """
    return _plan(connection, statement, params) is not None


def _run(connection: Connection, plan: _Plan, parameters, many: bool):
    """Execute inside the connection's transaction, past its listeners; errors as SQLAlchemy's."""
    if not connection.in_transaction():
        connection.begin()  # as SQLAlchemy's autobegin would (the SQLite BEGIN hook runs)
    sql = plan.sql
    cursor = connection.connection.cursor()
    dispatch = connection.dispatch
    try:
        for listener in dispatch.before_cursor_execute:
            sql, parameters = listener(connection, cursor, sql, parameters, None, many)
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
    except connection.dialect.loaded_dbapi.Error as error:
        cursor.close()
        raise exc.DBAPIError.instance(sql, parameters, error, connection.dialect.loaded_dbapi.Error,
                                      dialect=connection.dialect) from error
    except BaseException:
        cursor.close()
        raise
    for listener in dispatch.after_cursor_execute:
        listener(connection, cursor, sql, parameters, None, many)
    return cursor


def _many_parameters(plan: _Plan, rows: Sequence[Mapping]) -> list:
    """Each row's driver parameters; a typed value that is the very object the row before
    gave in the same place is typed once (a save's rows share their moment and their empty
    snapshots, and typing a time or a JSON value costs about what inserting its row does)."""
    if plan.slots is None:
        return [_parameters(plan, row) for row in rows]
    seen: list = [_UNSEEN] * len(plan.slots)
    typed: list = [None] * len(plan.slots)
    return [_parameters(plan, row, (seen, typed)) for row in rows]


def _parameters(plan: _Plan, given: Mapping | None, last: tuple[list, list] | None = None):
    """The driver's parameters: the statement's own values and the caller's, each typed.

    ``last``: the values each typed parameter was last given and what they became, kept
    across the rows of one ``executemany`` (processors are pure: the same object, the same
    result).
    """
    if plan.slots is not None:
        given = given or {}
        values = []
        for place, (_name, key, value, process) in enumerate(plan.slots):
            if key in given:
                value = given[key]
            elif value is _GIVEN:
                raise exc.InvalidRequestError(f"A value is required for bind parameter {key!r}")
            if process is None:
                values.append(value)
            elif last is None:
                values.append(process(value))
            elif value is last[0][place]:
                values.append(last[1][place])
            else:
                last[0][place] = value
                last[1][place] = typed = process(value)
                values.append(typed)
        if plan.names is not None:
            return tuple(values)
        return {slot[0]: value for slot, value in zip(plan.slots, values, strict=True)}
    values = plan.compiled.construct_params(given or None)
    for name, process in plan.binds:
        values[name] = process(values[name])
    if plan.names is None:
        return values
    return tuple(values[name] for name in plan.names)


def _plan(connection: Connection, statement: ClauseElement,
          given: Mapping | None = None) -> _Plan | None:
    """The statement's plan on this connection's dialect, or None for SQLAlchemy's own path.

    An INSERT or UPDATE is compiled for the columns it is given, as SQLAlchemy does.
    """
    dialect = connection.dialect
    if dialect.name != "sqlite" or connection.engine.echo:
        return None
    keys = tuple(sorted(given)) if given and not getattr(statement, "is_select", False) else ()
    key = (id(statement), dialect.name, dialect.paramstyle, keys)
    known = _PLANS.get(key)
    if known is not None and known[0] is statement:
        return known[1]
    plan = _compiled_plan(statement, dialect, keys)
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.clear()
    _PLANS[key] = (statement, plan)  # the statement is kept, so its id is never reused
    return plan


def _compiled_plan(statement: ClauseElement, dialect, keys: tuple[str, ...]) -> _Plan | None:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys) or None)
    if compiled.literal_execute_params or compiled.post_compile_params:
        return None  # SQL that depends on the values: SQLAlchemy expands it per execution
    if compiled.insert_prefetch or compiled.update_prefetch or compiled.effective_returning:
        return None  # Python-side defaults or RETURNING: SQLAlchemy's execution context does them
    processors = compiled._bind_processors
    binds = tuple((name, processors[name]) for name in compiled.bind_names.values()
                  if name in processors)
    names = tuple(compiled.positiontup) if compiled.positional else None
    results = row = None
    selected = getattr(statement, "selected_columns", None)
    if getattr(statement, "is_select", False) and selected is not None:
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in selected)
        row = namedtuple("Row", [column.key for column in selected], rename=True)  # _1 for a twin
    return _Plan(str(compiled), compiled, names, binds, results, row,
                 _slots(compiled, names, processors))


def _slots(compiled, names, processors) -> tuple | None:
    """Each driver parameter's source, when every one is a plain value (or None: SQLAlchemy's
    ``construct_params`` then works them out on each run)."""
    if compiled.escaped_bind_names:
        return None
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    order = names if names is not None else tuple(by_name)
    slots = []
    for name in order:
        bind = by_name.get(name)
        if bind is None or bind.callable is not None or bind.expanding:
            return None
        value = _GIVEN if bind.required else bind.effective_value
        slots.append((name, bind.key, value, processors.get(name)))
    return tuple(slots)


def forget_plans(statements: Iterable[ClauseElement] = ()) -> None:
    """Drop the worked-out plans (all of them, or those of ``statements``); for tests."""
    if not statements:
        _PLANS.clear()
        return
    ids = {id(s) for s in statements}
    for key in [k for k in _PLANS if k[0] in ids]:
        del _PLANS[key]
