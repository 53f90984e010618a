"""The English catalogue covers every message in the code and templates, and stays compiled.

A new `_()` without an English line fails here; run `make translations`, translate the new
msgids in messages.po, then `make translations` again to compile.
"""

from __future__ import annotations

import re
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from judging import i18n as labels
from judging.models.competition import LEVELS, PHASES
from judging.models.entrant import ENTRY_STATUSES
from judging.models.job import JOB_STATES
from judging.models.jury import SHEET_STATUSES
from judging.models.monev import BATCH_STATES
from judging.models.saq import ANSWER_TYPES, EVIDENCE_RULES
from judging.scoring import Indicator, load_methods
from judging.scoring.types import english

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "judging" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """Every msgid the project's own extraction config finds (singular and plural forms)."""
    with (TRANSLATIONS / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.update(message if isinstance(message, tuple) else (message,))
    return {m for m in found if m}


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_extraction_finds_the_ui(extracted):
    # Guards the guard: a broken mapping would find nothing and pass everything below.
    assert len(extracted) > 500
    assert {"Simpan", "Kembali", "Kategori", "Tahap sekarang: %(phase)s"} <= extracted


def test_every_message_has_english(catalog, extracted):
    translated = {
        mid for m in catalog if m.id and all(s.strip() for s in _strings(m)) for mid in _ids(m)
    }
    missing = sorted(extracted - translated)
    assert not missing, f"{len(missing)} msgids without English, e.g. {missing[:5]}"


def test_no_fuzzy_entries(catalog):
    # `pybabel compile` skips a catalogue whose header is fuzzy, and fuzzy lines are not used.
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy
    assert not catalog.fuzzy


def test_placeholders_match(catalog):
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        for source, target in zip(_ids(m), _strings(m), strict=False):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                wrong.append((source, target))
    assert not wrong


def test_python_format_flags_follow_placeholders(catalog):
    # Babel marks msgids with %(name)s as python-format; a stale flag breaks interpolation.
    for m in catalog:
        if m.id and PLACEHOLDER.search(_ids(m)[0].replace("%%", "")):
            assert m.python_format, m.id


def test_committed_mo_is_the_compiled_po(catalog):
    compiled = BytesIO()
    write_mo(compiled, catalog)
    committed = MO.read_bytes()
    if compiled.getvalue() != committed:
        compiled.seek(0)
        ours = {m.id: m.string for m in read_mo(compiled) if m.id}
        theirs = {m.id: m.string for m in read_mo(BytesIO(committed)) if m.id}
        assert ours == theirs, "messages.mo is stale: run `make translations`"


@pytest.mark.parametrize(
    ("mapping", "keys"),
    [
        (labels.PHASES, PHASES),
        (labels.ENTRY_STATUSES, ENTRY_STATUSES),
        (labels.LEVELS, LEVELS),
        (labels.JOB_STATES, JOB_STATES),
        (labels.BATCH_STATES, BATCH_STATES),
        (labels.SAQ_ANSWER_TYPES, ANSWER_TYPES),
        (labels.SAQ_EVIDENCE_RULES, EVIDENCE_RULES),
    ],
)
def test_every_stored_key_has_a_label(mapping, keys):
    assert set(mapping) == set(keys)


def test_sheet_statuses_cover_what_the_jury_list_shows():
    assert set(SHEET_STATUSES) | {"not_started", "revisit"} == set(labels.SHEET_STATUSES)


# -- texts of scoring methods: plugins carry their own English (``Text`` / ``label_en``) ----

SITE = ROOT / "tests" / "plugin_fixtures" / "site"


def _without_english(method) -> list[str]:
    return sorted(where for where, text in method.texts().items() if not english(text).strip())


@pytest.mark.parametrize("key", ["complaint_handling", "social_media", "information_disclosure"])
def test_every_builtin_method_text_has_english(key):
    method = load_methods(entry_points=False).get(key)
    assert len(method.texts()) > 15
    assert _without_english(method) == []


def test_a_method_text_without_english_is_found():
    # Guards the guard: a plain-string unit or guidance is a text without English.
    from plugins.complaint_handling import ComplaintHandling

    class Plain(ComplaintHandling):
        key = "plain_complaints"
        indicators = (Indicator("laporan", "Laporan", "Reports", unit="laporan",
                                guidance="Jumlah laporan."),)

    assert _without_english(Plain) == ["indicator laporan guidance", "indicator laporan unit"]


def test_a_third_party_plugin_supplies_its_english(monkeypatch):
    monkeypatch.syspath_prepend(str(SITE))
    try:
        method = load_methods().get("exhibition")
    finally:
        sys.modules.pop("juara_fixture_exhibition", None)
    texts = method.texts()
    assert english(texts["indicator pengunjung unit"]) == "visitors"
    assert english(texts["threshold min_kepuasan"]) == "Minimum satisfaction"
    assert _without_english(method) == ["indicator kepuasan unit"]  # "%" needs none


def test_every_message_kind_has_a_label():
    from judging.mail.kinds import KINDS

    assert set(KINDS) == set(labels.MESSAGE_KINDS)
