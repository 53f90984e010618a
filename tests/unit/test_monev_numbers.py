"""Indonesian number notation, calamine's cell types, and the percent/fraction rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from judging.io.xlsx.numbers import NumberError, format_number, fraction_column, parse_number


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1.234", 1234), ("1.234.567", 1234567), ("87,5", 87.5), ("1.234,5", 1234.5),
        ("12%", 12), ("12 %", 12), ("12,5%", 12.5), ("  42 ", 42), ("0,87", 0.87),
        ("87.5", 87.5), ("0.87", 0.87), ("1,234.5", 1234.5), ("1,234,567", 1234567),
        ("1 234", 1234), ("1\u00a0234,5", 1234.5), ("-5", -5), ("\u22125", -5), ("+3", 3),
        (",5", 0.5), ("100", 100),
    ],
)
def test_text_numbers_in_indonesian_notation(written, expected):
    assert parse_number(written) == expected


@pytest.mark.parametrize("empty", [None, "", "   ", "-", "–"])
def test_empty_cells_are_none(empty):
    assert parse_number(empty) is None
    assert parse_number(empty, "int") is None


@pytest.mark.parametrize("calamine_value", [12.0, 12])
def test_calamine_ints_as_floats_are_whole_numbers(calamine_value):
    assert parse_number(calamine_value, "int") == 12.0


@pytest.mark.parametrize(
    ("garbage", "message_en"),
    [
        ("abc", "'abc' is not a number"),
        ("1.2.3", "'1.2.3' is not a number"),
        ("12,3,4", "'12,3,4' is not a number"),
        ("1.23,4.5", "'1.23,4.5' is not a number"),
        ("Rp 1.000", "'Rp 1.000' is not a number"),
        ("12 34", "'12 34' is not a number"),
        ("n/a", "'n/a' is not a number"),
        (True, "'TRUE' is not a number"),
        (float("nan"), "'nan' is not a number"),
        (float("inf"), "'inf' is not a number"),
    ],
)
def test_garbage_is_refused_with_a_readable_reason(garbage, message_en):
    with pytest.raises(NumberError) as caught:
        parse_number(garbage)
    assert caught.value.message_en == message_en
    assert "bukan angka" in caught.value.message_id
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("when", [date(2024, 5, 12), datetime(2024, 5, 12, 8, 0)])
def test_dates_in_number_columns_are_refused(when):
    with pytest.raises(NumberError) as caught:
        parse_number(when)
    assert caught.value.message_en.startswith("holds a date/time (12/05/2024), not a number")
    assert "bukan angka" in caught.value.message_id


@pytest.mark.parametrize("value", [12.5, "12,5", "1.234,5"])
def test_int_indicators_need_whole_numbers(value):
    with pytest.raises(NumberError) as caught:
        parse_number(value, "int")
    assert caught.value.message_en.endswith("must be a whole number")
    assert "harus bilangan bulat" in caught.value.message_id


def test_int_indicator_accepts_thousands_groups():
    assert parse_number("1.234", "int") == 1234


def test_percent_formatted_fraction_becomes_percent():
    assert parse_number(0.87, "percent", percent_format=True) == 87
    assert parse_number(0.875, "percent", percent_format=True) == 87.5
    assert parse_number(0.87, "percent") == 0.87  # column rule decides, see below
    assert parse_number("87%", "percent", percent_format=True) == 87  # text shows its sign


@pytest.mark.parametrize(
    ("column", "fractions"),
    [
        ([0.87, 0.5, 1.0, 0.0], True),
        ([0.87], True),
        ([87.0, 0.5, 90.0], False),
        ([0.0, 1.0, 1.0], False),
        ([], False),
        ([-0.5, 0.5], False),
    ],
)
def test_fraction_column_rule(column, fractions):
    assert fraction_column(column) is fractions


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [(1234.5, "id", "1.234,5"), (1234.5, "en", "1,234.5"), (100.0, "id", "100"),
     (1234567, "id", "1.234.567"), (0.125, "en", "0.125")],
)
def test_numbers_are_shown_the_readers_way(value, lang, shown):
    assert format_number(value, lang) == shown
