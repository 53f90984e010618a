"""Scoring: the plugin API, scoring methods and the ranking engine (no Flask, no database).

The names below are the API a plugin package imports (``from judging.scoring import ...``);
Juara's own modules import from the submodule that defines a name.
"""

from judging.scoring.hookspecs import HOOK_API_VERSION, hookimpl, hookspec
from judging.scoring.method import MethodDefinitionError, ScoringMethod
from judging.scoring.plugins import DuplicateMethodError, MethodRegistry, load_methods
from judging.scoring.ranking import juror_jury_score, rank_category, to_cent
from judging.scoring.types import (
    Band,
    CategoryInfo,
    CategoryResults,
    CategorySettings,
    CertificateInfo,
    CohortEntry,
    CompetitionInfo,
    Component,
    Criterion,
    ExtraSheet,
    Flag,
    Indicator,
    JurorMark,
    MarkColumns,
    MonevScore,
    RankedEntry,
    RowError,
    SubmittedEntry,
    Text,
)

__all__ = [
    "HOOK_API_VERSION",
    "Band",
    "CategoryInfo",
    "CategoryResults",
    "CategorySettings",
    "CertificateInfo",
    "CohortEntry",
    "CompetitionInfo",
    "Component",
    "Criterion",
    "DuplicateMethodError",
    "ExtraSheet",
    "Flag",
    "Indicator",
    "JurorMark",
    "MarkColumns",
    "MethodDefinitionError",
    "MethodRegistry",
    "MonevScore",
    "RankedEntry",
    "RowError",
    "ScoringMethod",
    "SubmittedEntry",
    "Text",
    "hookimpl",
    "hookspec",
    "juror_jury_score",
    "load_methods",
    "rank_category",
    "to_cent",
]
