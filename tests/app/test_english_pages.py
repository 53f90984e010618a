"""With English chosen, the main pages of every area carry no Indonesian interface words.

User data (names of competitions, categories, entrants, criteria) stays as typed; the words
checked here are ones only the interface itself would print.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from judging.competitions.transitions import change_phase
from tests.app.results_world import build_results_world

INDONESIAN = ("Simpan", "Kembali", "Kategori", "Tahap", "Penilaian", "Unduh", "Belum",
              "Peserta", "Ubah", "Tambah", "Draf", "Terkirim", "Lihat", "Kirim", "Penjurian",
              "Pengaturan", "Catatan", "Bobot", "Entri", "Peringkat", "Hasil", "Sertifikat")
WORDS = re.compile(r"\b(" + "|".join(INDONESIAN) + r")\b")
SHOWN_ATTRIBUTES = re.compile(r'(?:placeholder|title|aria-label|data-confirm|alt)="([^"]*)"')


def shown_text(html: str) -> str:
    """What a reader sees or hears: element text and the labelling attributes."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(body))
    return unescape(re.sub(r"<[^>]+>", " ", body) + " " + attributes)


def indonesian_words(web, url: str, user_data: tuple[str, ...]) -> list[str]:
    response = web.get(url)
    assert response.status_code == 200, url
    text = shown_text(response.get_data(as_text=True))
    for value in user_data:
        text = text.replace(value, " ")
    return sorted(set(WORDS.findall(text)))


@pytest.fixture
def world(app, make):
    world = build_results_world(make, phase="judging")
    world.participant = make.participant(world.entries[0].entrant, email="peserta@juara.test")
    make.commit()
    return world


def user_data(world) -> tuple[str, ...]:
    criteria = tuple(c.label for c in world.category.criteria)
    guidance = tuple(c.guidance for c in world.category.criteria if c.guidance)
    return (world.competition.name, world.category.name, *criteria, *guidance)


def in_english(web, email: str) -> None:
    web.login(email)
    web.post("/auth/language", {"lang": "en"})


def test_english_is_really_switched_on(web, world):
    in_english(web, "panitia@juara.test")
    page = web.get(f"/organizer/competitions/{world.competition.id}").get_data(as_text=True)
    assert "Phase" in page and 'lang="en"' in page


def test_organizer_pages_in_english(web, world):
    in_english(web, "panitia@juara.test")
    c, cat = world.competition.id, world.category.id
    for url in (f"/organizer/competitions/{c}", f"/organizer/categories/{cat}",
                f"/organizer/categories/{cat}/ranking", f"/organizer/competitions/{c}/jury",
                f"/organizer/competitions/{c}/progress", f"/organizer/categories/{cat}/monev"):
        assert indonesian_words(web, url, user_data(world)) == [], url


def test_jury_pages_in_english(web, world):
    in_english(web, "juri1@juara.test")
    for url in (f"/jury/competition/{world.competition.id}", f"/jury/entry/{world.entries[0].id}"):
        assert indonesian_words(web, url, user_data(world)) == [], url


def test_participant_pages_in_english(web, world):
    in_english(web, "peserta@juara.test")
    for url in ("/participant/", f"/participant/entries/{world.entries[0].id}"):
        assert indonesian_words(web, url, user_data(world)) == [], url


def test_public_results_in_english(web, world, make):
    change_phase(world.competition, "moderation")
    change_phase(world.competition, "final")
    change_phase(world.competition, "published")
    make.commit()
    web.post("/auth/language", {"lang": "en"})
    url = f"/results/{world.competition.id}"
    assert indonesian_words(web, url, user_data(world)) == []
