"""SQL statements per request on the hot pages, pinned so an N+1 regression fails here.

Each request runs on a fresh database session, as in production (no identity map carried
over from the test), and the statements are counted with a SQLAlchemy event listener.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import event

from judging.extensions import db
from judging.models import Criterion, Evidence
from tests.fixtures.worlds import organizer_world
from tests.fixtures.worlds.jury_world import build_world, form_data, stored_marks

# Counted without BEGIN/COMMIT: session + user + roles, then the entry with may-judge and
# the juror's sheet, its criteria, marks, evidence, monev values and the juror's list (for
# previous / next), all in one statement.
JUROR_GET = 2
# Session + user + roles, then the entry with may-judge, its criteria and the juror's sheet
# with its marks in one read (no evidence: the save shows no page), then a sheet's first save
# as two plain inserts: the sheet, then its three marks in one executemany (no unit-of-work
# flush).
JUROR_POST = {"sqlite": 4, "postgresql": 4}
# The same, submitting (the load bench's post): the marks' insert returns their ids, and the
# five audit rows (four marks, the sheet) go in one more insert.
JUROR_POST_SUBMIT = 5
# A later save resubmitting one changed mark: the read as above, one guarded UPDATE of
# that mark (the sheet row itself is unchanged), its audit rows in one insert.
JUROR_POST_LATER = 4
# Session + user + roles, entry among the entrants acted for with its category, competition,
# entrant and evidence; the quota used is summed from the evidence already read. Criteria
# are read only where the page shows them (slots per criterion, a published result).
PARTICIPANT_ENTRY = 2
# The progress page after a commit: session + user + roles, the competition, its categories
# with their entries by status and the scores' summary, juror loads (which name the scoring
# jurors), entries short of marks and the rubrics, then the sheets and marks behind the scores
# (the summary moved); the conflict gaps only where a conflict is declared. Viewed again with
# nothing committed since: on SQLite the page's reads are the rows the connection read before;
# PostgreSQL reads them again (the scores stay kept).
PROGRESS = {"after a commit": 8, "again": {"sqlite": 1, "postgresql": 6}}
# A live ranking page viewed again: session + user + roles, the category with its competition.
# On SQLite nothing was committed since, so the ranking's key (rubric, inputs summary, entries),
# its special awards and jurors' names are the rows the connection read before; PostgreSQL
# reads those again (special awards twice: the page's lines and its list).
RANKING_AGAIN = {"sqlite": 2, "postgresql": 8}


@contextmanager
def counted():
    """Statements run inside the block (transaction control left out), on a fresh session."""
    db.session.remove()
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        db.session.remove()


def test_juror_scoring_page_runs_a_fixed_number_of_statements(web, make):
    world = build_world(make, entries=3)
    entry_id, category_id = world.entries[0].id, world.category.id
    web.login("juri@juara.test")
    for _ in range(2):  # the same count with twice the criteria and more evidence
        with counted() as seen:
            response = web.get(f"/jury/entry/{entry_id}")
        assert response.status_code == 200
        assert len(seen) == JUROR_GET, "\n".join(seen)
        _grow(category_id, entry_id)


def _grow(category_id: int, entry_id: int) -> None:
    """Four more criteria and three more links: an N+1 load would add statements."""
    start = db.session.scalar(db.select(db.func.count(Criterion.id)))
    for n in range(start, start + 4):
        db.session.add(Criterion(category_id=category_id, key=f"extra_{n}", label=f"Ekstra {n}",
                                 weight=Decimal(1), position=n))
    for n in range(3):
        db.session.add(Evidence(entry_id=entry_id, kind="link", url=f"https://a.example/{n}",
                                label=f"Tautan {n}"))
    db.session.commit()


def test_juror_sheet_save_runs_a_fixed_number_of_statements(web, make):
    world = build_world(make, entries=2)
    entry = world.entries[0]
    web.login("juri@juara.test")
    data = form_data(world, entry, [80, 70, 60, None])
    data["csrf_token"] = web.token()
    with counted() as seen:
        response = web.post(f"/jury/entry/{entry.id}/score", data)
    assert response.status_code == 302
    assert len(seen) == JUROR_POST[db.engine.dialect.name], "\n".join(seen)
    assert len(stored_marks()) == 3


def test_submitting_saves_run_a_fixed_number_of_statements(web, make):
    world = build_world(make, entries=2)
    entry = world.entries[0]
    web.login("juri@juara.test")
    for marks, pin in (([80, 70, 60, 50], JUROR_POST_SUBMIT), ([80, 75, 60, 50], JUROR_POST_LATER)):
        data = form_data(world, entry, marks, submit=True)
        data["csrf_token"] = web.token()
        with counted() as seen:
            response = web.post(f"/jury/entry/{entry.id}/score", data)
        assert response.status_code == 302
        assert len(seen) == pin, "\n".join(seen)
    assert sorted(stored_marks().values()) == [50, 60, 75, 80]


def test_participant_entry_page_runs_a_fixed_number_of_statements(web, make):
    from tests.app.test_evidence_uploads import build_world as participant_world

    world = participant_world(make)
    entry_id = world.entry.id
    web.login("p@juara.test")
    for _ in range(2):  # the same count with more evidence
        with counted() as seen:
            response = web.get(f"/participant/entries/{entry_id}")
        assert response.status_code == 200
        assert len(seen) == PARTICIPANT_ENTRY, "\n".join(seen)
        for n in range(3):
            db.session.add(Evidence(entry_id=entry_id, kind="link",
                                    url=f"https://a.example/{n}", label=f"Tautan {n}"))
        db.session.commit()


def test_entry_page_quota_sums_the_evidence_as_the_upload_check_does(app, make):
    """The page sums loaded evidence; the upload check asks the database: the same bytes."""
    from judging.entries.editing import counted_bytes, used_bytes
    from tests.app.test_evidence_uploads import build_world as participant_world

    entry = participant_world(make).entry
    for n, (requirement, size) in enumerate([(None, 1000), ("nilai_saq", 300),
                                             ("saq:q1", 5000), (None, None)]):
        db.session.add(Evidence(entry_id=entry.id, kind="file", size=size,
                                requirement=requirement, storage_key=f"k{n}"))
    db.session.add(Evidence(entry_id=entry.id, kind="link", url="https://a.example/x"))
    db.session.commit()
    db.session.expire_all()
    assert counted_bytes(entry.evidence) == used_bytes(entry) == 1300


def test_an_unchanged_session_is_not_signed_again_on_each_page(web, make):
    """Re-signing the cookie on every response is work; only a changed session is sent."""
    world = build_world(make, entries=1)
    web.login("juri@juara.test")
    first = web.get(f"/jury/entry/{world.entries[0].id}")  # the page's CSRF token is stored
    again = web.get(f"/jury/entry/{world.entries[0].id}")
    assert first.status_code == again.status_code == 200
    assert "Set-Cookie" not in again.headers


def test_organizer_pages_check_the_grants_read_with_the_signed_in_user(web, make):
    world = organizer_world.build_world(make)
    category_id = world.category(name="KIP OPD").id
    other = make.competition(world.body, name="Lain", year=2026, code="LAIN-2026")
    scoped = make.user("lingkup@juara.test")
    make.grant(scoped, "organizer", competition_id=world.competition.id)
    make.commit()
    other_page = f"/organizer/competitions/{other.id}/progress"
    pages = (f"/organizer/competitions/{world.competition.id}/progress",
             f"/organizer/categories/{category_id}/ranking")
    for email in ("org@juara.test", "lingkup@juara.test"):
        web.login(email)
        for url in pages:
            with counted() as seen:
                response = web.get(url)
            assert response.status_code == 200
            asked = [s for s in seen if "role_grants.user_id = ?" in s.replace("%(", "?(")
                     or "role_grants.user_id = %" in s]
            assert asked == [], "\n".join(asked)  # grants come with the signed-in user
    assert web.get(other_page).status_code == 403  # organizes the one competition only
    web.login("org@juara.test")
    assert web.get(other_page).status_code == 200  # organizes the whole body


def test_progress_page_runs_a_fixed_number_of_statements(web, make):
    """Counts, juror loads, short entries and the scores' summary come in grouped reads:
    the same count with more categories, entries, jurors and sheets."""
    from tests.app.test_organizer_progress import score

    world = organizer_world.build_world(make)
    web.login("org@juara.test")
    url = f"/organizer/competitions/{world.competition.id}/progress"
    competition_id = world.competition.id
    for n in range(2):
        world.competition = db.session.get(type(world.competition), competition_id)
        category = world.category(name=f"KIP {n}", required_marks=2)
        category.disagreement_threshold = Decimal("5")
        entries = [make.entry(category, status="submitted", code=f"K{n}-{i}") for i in range(3)]
        jurors = [make.juror(world.competition, [category], name=f"Juri {n}{j}")
                  for j in range(2)]
        for entry, juror in zip(entries, jurors, strict=False):
            score(juror, entry, 0.5)
        score(jurors[1], entries[0], 0.9)
        make.commit()
        for view in ("after a commit", "again"):
            with counted() as seen:
                response = web.get(url)
            assert response.status_code == 200 and "K0-0" in response.get_data(as_text=True)
            pin = PROGRESS[view]
            pin = pin if isinstance(pin, int) else pin[db.engine.dialect.name]
            assert len(seen) == pin, "\n".join(seen)


def test_a_live_ranking_page_viewed_again_runs_a_fixed_number_of_statements(web, make,
                                                                            monkeypatch):
    """A page of a long ranking, as the load bench's (charts and what-if on their own pages)."""
    from judging.organizer import views_rankings
    from tests.fixtures.worlds.results_world import build_results_world

    monkeypatch.setattr(views_rankings, "PER_PAGE", 2)
    world = build_results_world(make, phase="judging")
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    assert web.get(url).status_code == 200
    for _ in range(2):
        with counted() as seen:
            response = web.get(url)
        assert response.status_code == 200 and "BP-001" in response.get_data(as_text=True)
        assert len(seen) == RANKING_AGAIN[db.engine.dialect.name], "\n".join(seen)
