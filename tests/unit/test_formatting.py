"""The one formatting helper: scores, sizes and moments as each language writes them."""

from __future__ import annotations

from datetime import UTC, datetime

from judging.io.files.check import MB
from judging.io.xlsx.numbers import decimal_formatter, format_decimal, format_size


def test_scores_use_a_comma_in_indonesian_and_a_dot_in_english():
    assert format_decimal(86.3125, "id") == "86,31"
    assert format_decimal(86.3125, "en") == "86.31"
    assert format_decimal(1234.5, "id") == "1.234,50"
    assert format_decimal(70, "en") == "70.00"


def test_scores_read_exactly_as_babel_writes_them():
    """Rounding half to even on the decimal text, the sign kept on a rounded-away minus."""
    import random
    from decimal import Decimal

    from babel.numbers import format_decimal as babel_decimal

    rng = random.Random(19)
    values = [0, -0.0, 0.005, 0.015, 0.025, -0.001, 99.995, 2.675, Decimal("2.675"),
              Decimal("-0"), Decimal("1E+3"), 10**12, float("inf"), float("nan")]
    values += [rng.uniform(-1e6, 1e6) for _ in range(300)]
    values += [Decimal(rng.randint(-10**8, 10**8)).scaleb(-rng.randint(0, 6)) for _ in range(300)]
    for lang in ("id", "en"):
        for places in (1, 2, 3):
            pattern = "#,##0." + "0" * places
            written = [babel_decimal(v, format=pattern, locale=lang) for v in values]
            assert [format_decimal(v, lang, places) for v in values] == written
            assert [decimal_formatter(lang, places)(v) for v in values] == written


def test_sizes_show_the_limits_as_configured():
    assert format_size(10 * MB) == "10 MB"
    assert format_size(100 * MB, "en") == "100 MB"
    assert format_size(0) == "0 KB"
    assert format_size(None) == "0 KB"
    assert format_size(int(1.5 * MB), "id") == "1,5 MB"
    assert format_size(int(1.5 * MB), "en") == "1.5 MB"
    assert format_size(3 * 1024 * MB) == "3 GB"


def test_moments_show_minutes_in_the_competitions_zone(app):
    from flask_babel import force_locale

    from judging.i18n import localtime

    moment = datetime(2025, 5, 11, 22, 56, 37, tzinfo=UTC)
    with app.test_request_context():
        shown = localtime(moment, "Asia/Jakarta")
        assert shown == "12 Mei 2025 05.56 WIB"
        assert localtime(moment, "Asia/Makassar").endswith("06.56 WITA")
    with app.test_request_context(), force_locale("en"):
        assert localtime(moment, "Asia/Jakarta") == "May 12, 2025 5:56\u202fAM WIB"


def test_file_refusals_name_the_limit_as_configured():
    from judging.io.files.check import _too_large

    refusal = _too_large(10 * MB)
    assert "maksimal 10 MB" in refusal.message_id and "at most 10 MB" in refusal.message_en


def test_weights_and_thresholds_read_with_the_methods_names(app):
    from flask_babel import force_locale

    from judging.i18n import thresholds_text, weights_text

    weights = {"website": 30.0, "saq": 40.0, "presentation": 30.0}
    with app.test_request_context():
        shown = weights_text("information_disclosure", weights)
        assert shown == "Verifikasi website 30 %, Nilai SAQ 40 %, Presentasi 30 %"
        assert thresholds_text("information_disclosure", {"gate_saq": 65.0}) == (
            "Nilai SAQ minimum untuk lanjut: 65")
        assert weights_text("no_such_method", {"jury": 40.0}) == "jury 40 %"
    with app.test_request_context(), force_locale("en"):
        assert thresholds_text("information_disclosure", {"gate_saq": 65.5}) == (
            "Minimum SAQ score to advance: 65.5")
