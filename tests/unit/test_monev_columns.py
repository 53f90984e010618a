"""Regular rows are judged a column at a time; the rest one by one, with the same outcome."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from judging.io.monev.books import ParsedBook
from judging.io.monev.reader import MonevRow, preview_monev
from judging.scoring import ScoringMethod, load_methods
from judging.scoring.types import RowError
from tests import workbooks as wb
from tests.workbooks import ENTRANTS, INDICATORS, monev_rows, openpyxl_workbook


def preview(data, **kwargs):
    kwargs.setdefault("indicators", INDICATORS)
    kwargs.setdefault("entrants", ENTRANTS)
    return preview_monev(data, **kwargs)


def test_a_duplicate_split_between_a_regular_and_an_irregular_row_rejects_both():
    rows = monev_rows([
        ["KEL-001", "a", 10, 5],
        ["KEL-002", "b", 10, 5],
        ["kel-001 ", "a", "1.000", 5],  # same entrant, code in other case, text number
        ["KEL-003", "c", 10, 5],
    ])
    result = preview(openpyxl_workbook(rows))
    assert [r.entrant_code for r in result.rows] == ["KEL-002", "KEL-003"]
    assert [p.message_en for p in result.rejected] == [
        "Row 3, column 'Kode': entrant KEL-001 (Kelurahan Lebak Siliwangi) appears more than "
        "once: rows 3, 5",
        "Row 5, column 'Kode': entrant KEL-001 (Kelurahan Lebak Siliwangi) appears more than "
        "once: rows 3, 5",
    ]
    assert result.missing_entrants == ["DS-004"]


def test_regular_and_irregular_valid_rows_come_back_in_row_order():
    rows = monev_rows([
        ["KEL-003", "c", 7, 1, None, 50],
        ["KEL-001", "a", "1.234", 3],  # text: judged one by one
        ["KEL-002", "b", 8, 2, 12.5],
    ])
    result = preview(openpyxl_workbook(rows))
    assert result.rows == [
        MonevRow(3, "KEL-003", {"masuk": 7.0, "selesai": 1.0, "tindak_lanjut": None,
                                "saq": 50.0}),
        MonevRow(4, "KEL-001", {"masuk": 1234.0, "selesai": 3.0, "tindak_lanjut": None,
                                "saq": None}),
        MonevRow(5, "KEL-002", {"masuk": 8.0, "selesai": 2.0, "tindak_lanjut": 12.5,
                                "saq": None}),
    ]
    assert result.table.numbers.tolist() == [3, 4, 5]
    assert result.rows_read == 3


def test_the_rule_across_columns_runs_once_per_chunk_and_only_flagged_rows_row_by_row():
    calls = {"columns": 0, "rows": []}

    def check_rows(columns):
        calls["columns"] += 1
        return np.flatnonzero(columns["selesai"] > columns["masuk"])

    def validate_row(values):
        calls["rows"].append(values)
        return wb.validate_row(values)

    rows = monev_rows([["KEL-001", "a", 10, 5], ["KEL-002", "b", 10, 11],
                       ["KEL-003", "c", 10, 10]])
    result = preview(openpyxl_workbook(rows), validate_row=validate_row,
                     check_rows=check_rows)
    assert calls["columns"] == 1
    assert calls["rows"] == [{"masuk": 10, "selesai": 11, "tindak_lanjut": None, "saq": None}]
    assert [r.entrant_code for r in result.rows] == ["KEL-001", "KEL-003"]
    assert [p.message_en for p in result.rejected] == [
        "Row 4, column 'Selesai': 11 is greater than 'Laporan masuk' (10)"]


def test_a_row_flagged_by_the_column_check_but_fine_row_by_row_is_kept():
    rows = monev_rows([["KEL-001", "a", 10, 5], ["KEL-002", "b", 10, 6]])
    result = preview(openpyxl_workbook(rows), validate_row=wb.validate_row,
                     check_rows=lambda columns: range(len(columns["masuk"])))
    assert [r.entrant_code for r in result.rows] == ["KEL-001", "KEL-002"]
    assert result.rejected == []


def test_without_a_column_check_the_row_rule_still_runs_on_regular_rows():
    rows = monev_rows([["KEL-001", "a", 10, 50]])
    result = preview(openpyxl_workbook(rows), validate_row=wb.validate_row)
    assert result.rows == [] and len(result.rejected) == 1


@pytest.fixture(scope="module")
def methods():
    return load_methods(entry_points=False).methods


def random_columns(keys, count: int, seed: int) -> dict:
    rng = random.Random(seed)
    return {key: np.array([math.nan if rng.random() < 0.1 else float(rng.randint(0, 20))
                           for _ in range(count)]) for key in keys}


@pytest.mark.parametrize("key", ["complaint_handling", "social_media"])
def test_a_methods_column_check_names_the_rows_its_row_check_refuses(methods, key):
    method = methods[key]
    columns = random_columns([i.key for i in method.indicators], 2_000, seed=len(key))
    by_rows = list(ScoringMethod.cross_check_rows(method, columns))
    assert by_rows  # the data has rows the rule refuses
    assert sorted(np.asarray(method.cross_check_rows(columns)).tolist()) == by_rows


def test_the_default_column_check_calls_the_row_check_with_floats_and_none(methods):
    method = methods["complaint_handling"]
    seen = []

    class Watching(type(method)):
        key = ""

        def cross_check(self, values):
            seen.append(values)
            return [RowError("selesai", "x", "x")] if values["selesai"] == 3 else []

    flagged = list(ScoringMethod.cross_check_rows(
        Watching(), {"selesai": np.array([3.0, math.nan, 4.0])}))
    assert flagged == [0]
    assert seen == [{"selesai": 3.0}, {"selesai": None}, {"selesai": 4.0}]
    assert all(type(v["selesai"]) in (float, type(None)) for v in seen)


def test_a_parsed_book_is_read_again_without_parsing(monkeypatch):
    import python_calamine

    opened = []
    original = python_calamine.CalamineWorkbook.from_filelike

    def counting(handle):
        opened.append(1)
        return original(handle)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", counting)
    book = ParsedBook(openpyxl_workbook(monev_rows([["KEL-001", "a", 10, 5]]),
                                        sheets_before=[("Petunjuk", [["Isi data"]])]))
    first = preview(book)
    again = preview(book, choices={"Selesai": ""})
    assert len(opened) == 1
    assert first.rows == [MonevRow(3, "KEL-001", {"masuk": 10, "selesai": 5,
                                                  "tindak_lanjut": None, "saq": None})]
    assert again.rows == [MonevRow(3, "KEL-001", {"masuk": 10, "tindak_lanjut": None,
                                                  "saq": None})]


def test_names_are_loaded_only_when_a_row_needs_one():
    from judging.io.monev.match import EntrantIndex

    loads = []

    def index():
        return EntrantIndex(codes=[code for code, _ in ENTRANTS],
                            names=lambda: loads.append(1) or dict(ENTRANTS))

    by_code = monev_rows([["KEL-001", "a", 10, 5], ["KEL-002", "b", 10, 5]])
    assert len(preview(openpyxl_workbook(by_code), entrants=index()).rows) == 2
    assert loads == []
    twice = monev_rows([["KEL-001", "a", 10, 5], ["KEL-001", "a", 10, 5]])
    result = preview(openpyxl_workbook(twice), entrants=index())
    assert loads == [1] and "(Kelurahan Lebak Siliwangi) appears more than once" in \
        result.rejected[0].message_en
