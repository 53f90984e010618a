"""The ranking workbook speaks the language of the organizer who asked for it."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from judging.extensions import db
from judging.i18n import EXPORT_WORDS, KINDS, speaking
from judging.jobs import enqueue
from judging.models import Job
from judging.plugin_setup import methods
from judging.results.export import ranking_workbook
from judging.results.freeze import freeze_results
from judging.results.jobs import KIND
from tests.app.test_ranking_previous_year import copied_world
from tests.fixtures.worlds.results_world import build_results_world

SHEETS_EN = ["Summary", "Badan Publik", "Per criterion", "Per juror", "What if (methods)"]


def indonesian_labels() -> set[str]:
    """Every Indonesian text of the app's own tables and methods that English changes."""
    with speaking("en"):
        pairs = [(w._args[0], str(w)) for table in KINDS.values() for w in table.values()]
        pairs += [(w._args[0], str(w)) for w in EXPORT_WORDS]
    for key, _ in methods().choices():
        method = methods().get(key)
        for item in (*method.components, *method.bands, *method.flags):
            pairs.append((item.label, item.label_en))
    return {id_ for id_, en in pairs if id_ != en and "%(" not in id_}


def texts(book, data: set[str]):
    """Every piece of text in the workbook that is not the competition's own data."""
    for ws in book.worksheets:
        if ws.title not in data:
            yield ws.title
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str) and value not in data:
                    yield from (p for part in value.split(" · ") for p in part.split(", "))


def header(ws):
    return next(r for r in ws.iter_rows(values_only=True) if r and r[0] in ("Category", "Rank"))


def english_world(make):
    world = build_results_world(make, phase="final")
    freeze_results(world.competition)
    db.session.commit()
    return world


def data_of(world) -> set[str]:
    return ({world.competition.name, world.category.name}
            | {e.entrant.name for e in world.entries} | {e.entrant.code for e in world.entries})


def test_english_export_has_english_sheets_headers_and_labels(app, make):
    world = english_world(make)
    book = load_workbook(io.BytesIO(ranking_workbook(world.competition, lang="en")))

    assert book.sheetnames == SHEETS_EN
    summary = book["Summary"]
    assert header(summary) == ("Category", "Level", "Award", "Rank", "Code", "Participant",
                               "Final score", "Classification")
    first = list(summary.iter_rows(min_row=5, max_row=5, values_only=True))[0]
    assert first == ("Badan Publik", "Regional agency (OPD)", "First Place", 1, "BP01",
                     "Dinas Kominfo", 90.5, "Informative")
    ranking = book["Badan Publik"]
    assert header(ranking)[:6] == ("Rank", "Code", "Participant name",
                                   "Website verification (30%)", "SAQ score (40%)",
                                   "Presentation (30%)")
    assert ranking.cell(5, 4).number_format == "0.00" and ranking.cell(5, 4).value == 90
    assert ranking["A2"].value.startswith("Method: ")
    assert book.properties.title == "Judging results of Monev KIP 2026"
    leftovers = set(texts(book, data_of(world))) & indonesian_labels()
    assert leftovers == set()


def test_indonesian_export_is_unchanged_outside_a_request(app, make):
    world = english_world(make)
    book = load_workbook(io.BytesIO(ranking_workbook(world.competition)))
    assert book.sheetnames[:4] == ["Ringkasan", "Badan Publik", "Per Kriteria", "Per Juri"]
    assert book["Badan Publik"]["A2"].value.startswith("Metode: ")


def test_last_year_sheet_in_english(app, make):
    _, this, _, _ = copied_world(make)
    book = load_workbook(io.BytesIO(ranking_workbook(this, lang="en")), read_only=True)
    rows = list(book["Last year (2026)"].iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "Category")
    assert list(head) == ["Category", "Participant code", "Participant", "Rank 2027",
                          "Score 2027", "Rank 2026", "Score 2026", "Rank change", "Score change"]


def test_what_if_sheet_in_english(app, make):
    world = english_world(make)
    book = load_workbook(io.BytesIO(ranking_workbook(world.competition, lang="en")))
    head = header(book["What if (methods)"])
    assert head[:4] == ("Category", "Participant code", "Participant", "Mean")
    assert "Score Mean" in head and head[-2:] == ("Changed", "Note")
    note = [r for r in book["What if (methods)"].iter_rows(min_row=5, values_only=True)][0][-1]
    assert note.startswith("Places 1–3 are the same under every method.")


def test_export_asked_for_in_english_is_written_in_english(app, make, web):
    world = english_world(make)
    web.login(world.organizer.email)
    web.post("/auth/language", {"lang": "en"})
    started = web.post(f"/organizer/competitions/{world.competition.id}/export", {})
    assert started.status_code == 302
    job = db.session.scalar(select(Job).where(Job.kind == KIND))
    assert job.state == "done" and job.params["locale"] == "en"
    book = load_workbook(io.BytesIO(web.get(f"/organizer/jobs/{job.id}/download").data))
    assert book.sheetnames == SHEETS_EN


def test_job_uses_the_stored_locale_not_the_worker(app, make):
    """A worker has no request: the language comes from the job alone."""
    world = english_world(make)
    params = {"competition_id": world.competition.id, "category_id": None}
    english = enqueue(KIND, params={**params, "locale": "en"},
                      competition_id=world.competition.id, user_id=world.organizer.id)
    older = enqueue(KIND, params=params, competition_id=world.competition.id,
                    user_id=world.organizer.id)
    from judging.evidence import evidence_store

    def sheets(job):
        db.session.refresh(job)
        assert job.state == "done"
        with evidence_store().open(job.result_key) as handle:
            return load_workbook(io.BytesIO(handle.read())).sheetnames

    assert sheets(english) == SHEETS_EN
    assert sheets(older)[0] == "Ringkasan"
