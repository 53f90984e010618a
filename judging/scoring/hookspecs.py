"""The plugin API of Juara: every hook a plugin may implement.

This module is the contract between the application and its plugins, so it stays
short and each hook says when it is called and what it must return. Arguments are
plain data (dicts, lists, dataclasses from ``judging.scoring.types``), never ORM
objects, so a plugin cannot reach into the database behind the application's back.
Read with ``docs/plugins.md``, which gives an example for every hook.
"""

from __future__ import annotations

import pluggy

HOOK_API_VERSION = 1
"""Raised when a hook's arguments or meaning change; plugins may check it."""

hookspec = pluggy.HookspecMarker("judging")
hookimpl = pluggy.HookimplMarker("judging")


@hookspec
def judging_scoring_methods():
    """Contribute scoring methods. Called once, when the plugins are loaded at start-up.

    Return a list of ``ScoringMethod`` subclasses (classes, not instances). Each
    class's ``key`` must be unique across all plugins: two plugins claiming one key
    stop the application with ``DuplicateMethodError``.
    """


@hookspec
def judging_entry_submitted(entry):
    """React to a participant submitting an entry, after the submission is saved.

    ``entry`` is a dict with at least ``id``, ``category_id``, ``competition_id``,
    ``entrant_code``, ``entrant_name`` and ``submitted_at`` (ISO 8601, UTC).
    The return value is ignored; an exception is logged and does not undo the submission.
    """


@hookspec
def judging_ranking_frozen(category, results):
    """React to a category's ranking being frozen (the competition moved to ``final``).

    ``category`` is a dict with at least ``id``, ``name``, ``competition_id`` and
    ``method`` (the scoring method key); ``results`` is the list of ``RankedEntry``
    in rank order. The return value is ignored; an exception is logged only.
    """


@hookspec
def judging_certificate_context(certificate):
    """Add values to a certificate's template context, just before it is rendered.

    ``certificate`` is a dict with at least ``serial``, ``code``, ``entrant_name``,
    ``category_name``, ``competition_name``, ``rank``, ``total`` and ``band``.
    Return a dict of extra template values (plain strings and numbers) or ``None``.
    When two plugins give the same name, the plugin called first wins: outside
    plugins are called before the built-ins.
    """


@hookspec
def judging_export_sheets(competition, categories):
    """Add sheets to the ranking workbook export of a competition.

    ``competition`` is a dict with at least ``id``, ``name`` and ``year``;
    ``categories`` is a list of dicts, each with ``id``, ``name``, ``method`` and
    ``results`` (list of ``RankedEntry``). Return a list of
    ``(sheet title, header row, rows)`` tuples, where the header row is a list of
    strings and rows is a list of lists of plain values, or ``None``.
    """
