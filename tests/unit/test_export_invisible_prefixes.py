"""Every workbook Juara writes treats ``\\u200b=1+1`` (invisible prefix) like ``=1+1``."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from judging.io.monev.template import write_monev_template
from judging.io.xlsx.jury_sheet import JurySheetCategory, JurySheetEntry, write_jury_sheet
from judging.io.xlsx.ranking import (
    ExportCategory,
    ExportCompetition,
    ExportRow,
    write_ranking_workbook,
)
from judging.scoring.types import Component, Criterion
from tests.workbooks import INDICATORS

# zero-width space, BOM, word joiner, left-to-right mark, soft hyphen
PREFIXES = ["\u200b", "\ufeff", "\u2060", "\u200e", "\u00ad"]
PAYLOADS = [f"{p}=1+1" for p in PREFIXES] + ["\u200b\u200d@SUM(A1)", "\u2060 -2+3"]
CRITERIA = [Criterion("inovasi", "Inovasi", 1.0, 100)]


def _ranking() -> bytes:
    rows = [
        ExportRow(rank=n, entrant_code=f"K-{n}", entrant_name=text, components={
            "jury": Decimal("80")}, total=Decimal("80"), award=text, flags=(text,),
            juror_scores={text: 80.0})
        for n, text in enumerate(PAYLOADS, 1)
    ]
    category = ExportCategory(PAYLOADS[0], PAYLOADS[1], "desa",
                              [Component("jury", "Juri", "Jury", 100, jury=True)],
                              CRITERIA, rows)
    competition = ExportCompetition(PAYLOADS[2], 2025, PAYLOADS[3], [category],
                                    datetime(2025, 1, 1, tzinfo=UTC))
    extra = [("Plugin", ["Teks"], [[text] for text in PAYLOADS])]
    return write_ranking_workbook(competition, include_jurors=True, extra_sheets=extra)


def _entrant_template() -> bytes:
    entrants = [(f"K-{n}", text) for n, text in enumerate(PAYLOADS, 1)]
    return write_monev_template(title=PAYLOADS[0], indicators=INDICATORS, entrants=entrants)


def _jury_workbook() -> bytes:
    entries = [JurySheetEntry(f"K-{n}", text, {}, text) for n, text in enumerate(PAYLOADS, 1)]
    return write_jury_sheet(juror_name=PAYLOADS[1], competition_name=PAYLOADS[2],
                            categories=[JurySheetCategory(1, PAYLOADS[3], CRITERIA, entries)])


@pytest.mark.parametrize("build", [_ranking, _entrant_template, _jury_workbook])
def test_invisible_prefixed_formulas_are_quote_prefixed_text(build):
    workbook = load_workbook(io.BytesIO(build()))
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in PAYLOADS:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    found.add(cell.value)
    assert found == set(PAYLOADS)
