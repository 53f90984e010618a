"""Evidence rules, links and the countdown text: the pure pieces of the portal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from judging.entries.links import LinkRefused, clean_url, clean_urls
from judging.entries.rules import RulesError, build_slots, parse_rules
from judging.participant.deadline import time_left, time_left_text

MB = 1024 * 1024


def rules(raw=None):
    return parse_rules(raw, default_file_mb=10, default_entry_mb=100)


def test_empty_rules_take_the_app_defaults():
    parsed = rules({})
    assert (parsed.max_file_bytes, parsed.max_entry_bytes) == (10 * MB, 100 * MB)
    assert parsed.per is None and parsed.general and not parsed.require_links
    assert set(parsed.types) == {"pdf", "png", "jpeg", "webp", "xlsx", "docx", "pptx"}


def test_kip_questionnaire_rules_give_a_pdf_slot_per_criterion():
    parsed = rules({"per": "criterion", "types": ["pdf"], "max_file_mb": 2,
                    "slots_required": True})
    criteria = [SimpleNamespace(key="k1", label="Pertanyaan 1", guidance=""),
                SimpleNamespace(key="k2", label="Pertanyaan 2", guidance=None)]
    slots = build_slots(parsed, criteria=criteria)
    assert [(s.key, s.label) for s in slots] == [("k1", "Pertanyaan 1"), ("k2", "Pertanyaan 2")]
    assert parsed.types == ("pdf",) and parsed.max_file_bytes == 2 * MB


def test_indicator_slots_come_from_the_method():
    indicators = [SimpleNamespace(key="saq", header="Nilai SAQ", guidance="Lampirkan SAQ")]
    slots = build_slots(rules({"per": "indicator"}), indicators=indicators)
    assert [(s.key, s.label, s.guidance) for s in slots] == [("saq", "Nilai SAQ", "Lampirkan SAQ")]


@pytest.mark.parametrize("raw", [
    {"per": "question"}, {"types": ["exe"]}, {"max_file_mb": 0}, {"max_entry_mb": "banyak"},
    {"fields": [{"key": "Bad Key"}]}, {"fields": [{"key": "x", "type": "checkbox"}]},
])
def test_impossible_rules_are_refused(raw):
    with pytest.raises(RulesError):
        rules(raw)


@pytest.mark.parametrize("url", ["https://instagram.com/kel.contoh", "http://kel.go.id/ppid?x=1",
                                 "https://localhost:8080/x"])
def test_web_addresses_are_kept(url):
    assert clean_url(f"  {url} ") == url


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "data:text/html,x", "ftp://a.org/",
                                 "https://a b.org", "https://user@a.org", "//a.org/x", "a.org",
                                 "https://a.org/\u202eexe", "https://" + "a" * 2000 + ".org",
                                 "https://a.org:99999/"])
def test_other_addresses_are_refused_in_both_languages(url):
    with pytest.raises(LinkRefused) as caught:
        clean_url(url)
    assert caught.value.message_id and caught.value.message_en


def test_account_links_are_deduplicated_and_limited():
    text = "https://a.org/x\n\nhttps://a.org/x\nhttps://b.org"
    assert clean_urls(text, limit=5) == ["https://a.org/x", "https://b.org"]
    with pytest.raises(LinkRefused):
        clean_urls("https://a.org\nhttps://b.org", limit=1)


def test_time_left(app):
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    deadline = now + timedelta(days=2, hours=3, minutes=4, seconds=59)
    assert time_left(deadline, now) == (2, 3, 4)
    assert time_left(now - timedelta(hours=1), now) == (0, 0, 0)
    with app.test_request_context():
        assert time_left_text(deadline, now) == "2 hari 3 jam 4 menit lagi"
        assert time_left_text(now, now) == "Batas waktu sudah lewat"
