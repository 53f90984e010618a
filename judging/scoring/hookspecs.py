"""The plugin API of Juara: every hook a plugin may implement.

This module is the contract between the application and its plugins, so it stays
short and each hook says when it is called and what it must return. Every argument
is a frozen dataclass from ``judging.scoring.types`` named in the hook's signature,
never an ORM object, so a plugin cannot reach into the database behind the
application's back. Read with ``docs/plugins.md``, which gives an example for every hook.
"""

from __future__ import annotations

import pluggy

from judging.scoring.types import (
    CategoryInfo,
    CategoryResults,
    CertificateInfo,
    CompetitionInfo,
    ExtraSheet,
    RankedEntry,
    SubmittedEntry,
)

HOOK_API_VERSION = 3
"""Raised when a hook's arguments or meaning change; plugins may check it."""

hookspec = pluggy.HookspecMarker("judging")
hookimpl = pluggy.HookimplMarker("judging")


@hookspec
def judging_scoring_methods() -> list[type]:
    """Contribute scoring methods. Called once, when the plugins are loaded at start-up.

    Return a list of ``ScoringMethod`` subclasses (classes, not instances). Each
    class's ``key`` must be unique across all plugins: two plugins claiming one key
    stop the application with ``DuplicateMethodError``.
    """


@hookspec
def judging_entry_submitted(entry: SubmittedEntry) -> None:
    """React to a participant submitting an entry, once the submission is committed.

    The return value is ignored. Each plugin is called on its own: an exception is
    logged, does not undo the submission and does not stop the other plugins.
    """


@hookspec
def judging_ranking_frozen(category: CategoryInfo, results: tuple[RankedEntry, ...]) -> None:
    """React to a category's ranking being frozen, once the move to ``final`` is committed.

    ``results`` are the category's ranking lines in rank order. The return value is
    ignored; an exception is logged and does not stop the other plugins.
    """


@hookspec
def judging_certificate_context(certificate: CertificateInfo) -> dict | None:
    """Add values to a certificate's template context, just before it is rendered.

    Return a dict of extra template values (plain strings and numbers) or ``None``.
    When two plugins give the same name, the plugin called first wins: outside
    plugins are called before the built-ins.
    """


@hookspec
def judging_export_sheets(
    competition: CompetitionInfo, categories: tuple[CategoryResults, ...]
) -> list[ExtraSheet] | None:
    """Add sheets to the ranking workbook export of a competition.

    Return a list of ``(sheet title, header row, rows)`` tuples, where the header row
    is a list of strings and rows is a list of lists of plain values, or ``None``.
    """
