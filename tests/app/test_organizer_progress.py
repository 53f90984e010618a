"""Progress dashboard and the audit log page."""

from datetime import timedelta
from decimal import Decimal

import pytest

from judging.audit import record
from judging.extensions import db
from judging.models import Mark, Scoresheet
from judging.models.types import utcnow
from tests.fixtures.worlds.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def score(juror, entry, fraction):
    """A submitted sheet whose every criterion gets ``fraction`` of its max mark."""
    for criterion in entry.category.criteria:
        db.session.add(Mark(juror_id=juror.id, entry_id=entry.id, criterion_id=criterion.id,
                            value=criterion.max_mark * Decimal(str(fraction))))
    db.session.add(Scoresheet(juror_id=juror.id, entry_id=entry.id, status="submitted",
                              submitted_at=utcnow()))


def scored_pair(world, make, marks=(0.9, 0.3), *, required=2, first="Rina"):
    """One submitted entry in a category flagging spreads over 20 points, scored by two
    jurors (``first`` and Budi) with ``marks``; committed. Returns category, entry, jurors."""
    category = world.category(name="KIP OPD", required_marks=required)
    category.disagreement_threshold = Decimal("20")
    entry = make.entry(category, status="submitted", code="KIP-001")
    rina = make.juror(world.competition, [category], name=first)
    budi = make.juror(world.competition, [category], name="Budi")
    score(rina, entry, marks[0])
    score(budi, entry, marks[1])
    make.commit()
    return category, entry, rina, budi


def test_dashboard_counts_completion_short_marks_and_disagreement(org, world, make):
    category = world.category(name="KIP OPD", required_marks=2)
    category.disagreement_threshold = Decimal("20")
    agreed, split, lonely = (make.entry(category, status="submitted", code=c)
                             for c in ("KIP-001", "KIP-002", "KIP-003"))
    make.entry(category, status="draft", code="KIP-004")
    rina = make.juror(world.competition, [category], name="Rina")
    budi = make.juror(world.competition, [category], name="Budi")
    score(rina, agreed, 0.8)
    score(budi, agreed, 0.7)
    score(rina, split, 0.9)
    score(budi, split, 0.4)
    score(rina, lonely, 0.5)
    make.commit()
    response = org.get(f"/organizer/competitions/{world.competition.id}/progress")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<svg" in page and 'style="' not in page
    # entries per status: 1 draft, 3 submitted, 0 withdrawn
    assert '<td class="num">1</td><td class="num">3</td><td class="num">0</td>' in page
    # Rina submitted 3 of 3, Budi 2 of 3
    assert "3/3" in page and "2/3" in page
    short = page[page.index('id="short-table"'):page.index('id="short-table"') + 600]
    assert "KIP-003" in short and "1 / 2" in short and "KIP-001" not in short
    spread = page[page.index('id="disagreement-table"'):]
    assert "KIP-002" in spread and "50.0" in spread and "KIP-001" not in spread


def test_short_table_follows_each_new_sheet_and_escapes_names(org, world, make):
    category = world.category(name="Desa & <Kelurahan>", required_marks=1)
    first, second = (make.entry(category, status="submitted", code=c)
                     for c in ("DES-001", "DES-002"))
    rina = make.juror(world.competition, [category], name="Rina")
    make.commit()
    url = f"/organizer/competitions/{world.competition.id}/progress"

    done = 'class="bar-submitted"><title>'

    def table(name):
        page = org.get(url).get_data(as_text=True)
        start = page.index(f'id="{name}"')
        return page[start:page.index("</table>", start)]

    for _ in range(2):  # the second view is drawn from the rows kept by the first
        short = table("short-table")
        assert "DES-001" in short and "DES-002" in short and "0 / 1" in short
        assert "Desa &amp; &lt;Kelurahan&gt;" in short and "<Kelurahan>" not in short
        assert "0/2" in table("juror-table") and done not in table("chart-jurors")
    score(rina, first, 0.5)
    make.commit()
    short = table("short-table")
    assert "DES-001" not in short and "DES-002" in short
    assert "1/2" in table("juror-table") and done + "1</title>" in table("chart-jurors")


def test_audit_log_filters_and_pages(org, world, make):
    other = make.user(name="Petugas Lain")
    comp_id = world.competition.id
    for n in range(55):
        record("competition.updated", object_type="competition", object_id=comp_id,
               competition_id=comp_id, actor_id=world.organizer.id, note=f"ubah {n}")
    old = record("category.created", object_type="category", competition_id=comp_id,
                 actor_id=other.id, note="kategori lama")
    old.at = utcnow() - timedelta(days=10)
    record("competition.updated", object_type="competition", competition_id=make.competition(
        world.body, name="Lain").id, actor_id=world.organizer.id, note="kompetisi lain")
    make.commit()
    url = f"/organizer/competitions/{comp_id}/audit"
    page = org.get(url).get_data(as_text=True)
    assert "56 kejadian" in page and "Halaman 1 dari 2" in page and "kompetisi lain" not in page
    page = org.get(url + "?page=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in page
    page = org.get(url + "?action=category.created").get_data(as_text=True)
    assert "1 kejadian" in page and "kategori lama" in page
    page = org.get(url + f"?actor={other.id}").get_data(as_text=True)
    assert "1 kejadian" in page and "Petugas Lain" in page
    today = utcnow().date()
    page = org.get(url + f"?since={today - timedelta(days=1)}").get_data(as_text=True)
    assert "55 kejadian" in page and "kategori lama" not in page
    page = org.get(url + f"?until={today - timedelta(days=5)}").get_data(as_text=True)
    assert "1 kejadian" in page


def test_disagreement_scores_equal_each_jurors_own_score(world, make):
    """The dashboard's jury scores, computed for all pairs at once, are the very floats
    ``juror_jury_score`` gives one juror at a time: unequal weights, two rubrics, a juror
    short of one criterion, a conflicted juror and a mark outside the rubric."""
    import random

    from judging.marking.progress import competition_progress, entry_lines
    from judging.models import ConflictDeclaration
    from judging.scoring.ranking import juror_jury_score
    from judging.scoring.types import Criterion as RubricLine

    rng = random.Random(19)
    wide = world.category(name="KIP Badan", required_marks=2)
    other = world.category(name="KIP Desa", required_marks=2)
    for category, weights in ((wide, ("3", "1.5", "0.25")), (other, ("2", "7"))):
        category.disagreement_threshold = Decimal("0")
        for criterion, weight in zip(category.criteria, weights, strict=False):
            criterion.weight = Decimal(weight)
    jurors = [make.juror(world.competition, [wide, other], name=f"Juri {n}") for n in range(4)]
    entries = [make.entry(c, status="submitted") for c in (wide, other) for _ in range(5)]
    for entry in entries:
        for juror in jurors:
            for criterion in entry.category.criteria:
                value = Decimal(rng.randint(0, int(criterion.max_mark) * 100)) / 100
                db.session.add(Mark(juror_id=juror.id, entry_id=entry.id,
                                    criterion_id=criterion.id, value=value))
            db.session.add(Scoresheet(juror_id=juror.id, entry_id=entry.id,
                                      status="submitted", submitted_at=utcnow()))
    db.session.flush()
    db.session.delete(db.session.scalars(db.select(Mark).where(
        Mark.entry_id == entries[0].id, Mark.juror_id == jurors[0].id)).first())
    db.session.add(ConflictDeclaration(juror_id=jurors[1].id, entry_id=entries[1].id,
                                       reason="saudara"))
    db.session.add(Mark(juror_id=jurors[2].id, entry_id=entries[7].id,
                        criterion_id=wide.criteria[0].id, value=Decimal("1")))  # not its rubric
    make.commit()

    expected = {}
    for entry in entries:
        rubric = [RubricLine(key=str(c.id), label=c.label, weight=float(c.weight),
                             max_mark=float(c.max_mark)) for c in entry.category.criteria]
        scores = {}
        for juror in jurors:
            if (juror.id, entry.id) == (jurors[1].id, entries[1].id):
                continue
            marks = {str(m.criterion_id): float(m.value) for m in db.session.scalars(
                db.select(Mark).where(Mark.entry_id == entry.id, Mark.juror_id == juror.id))}
            score = juror_jury_score(rubric, marks)
            if score is not None:
                scores[juror.name] = round(score, 2)
        expected[entry.code] = scores
    flags = competition_progress(world.competition).disagreements
    got = {flag.entry.code: flag.scores for flag in flags}
    assert got == {code: s for code, s in expected.items()
                   if len(s) >= 2 and max(s.values()) > min(s.values())}
    assert len(got[entries[0].code]) == 3 and len(got[entries[1].code]) == 3
    assert len(entry_lines(world.competition)) == 10


def test_a_table_body_is_rendered_once_for_the_same_rows(app):
    from judging.organizer.fragments import kept_fragment

    rows, names = ((7, "KIP-001", "submitted", 3, 0, 2),), ((3, "KIP OPD"),)
    with app.test_request_context():
        first = kept_fragment("organizer/_progress_rows.html", "short_rows", rows, names)
        again = kept_fragment("organizer/_progress_rows.html", "short_rows",
                              tuple(tuple(r) for r in [list(rows[0])]), names)
        other = kept_fragment("organizer/_progress_rows.html", "short_rows",
                              ((8, "KIP-002", "submitted", 3, 1, 2),), names)
    assert again is first and "KIP-001" in first and "0 / 2" in first
    assert "KIP-002" in other and "KIP-001" not in other


def test_dashboard_answers_404_then_403_as_every_organizer_page(org, world, make):
    other_body = make.organisation(name="Diskominfo Lain", code="LAIN")
    elsewhere = make.competition(other_body, name="Lain", year=2026, code="LAIN-2026")
    make.commit()
    assert org.get("/organizer/competitions/987654/progress").status_code == 404
    assert org.get(f"/organizer/competitions/{elsewhere.id}/progress").status_code == 403
    page = org.get(f"/organizer/competitions/{world.competition.id}/progress")
    assert page.status_code == 200 and "IKP Fest 2026" in page.get_data(as_text=True)


def test_a_repeat_view_draws_no_table_again_and_names_stay_escaped(org, world, make,
                                                                   monkeypatch):
    from judging.organizer import fragments

    scored_pair(world, make, required=3, first="Rina <R&D>")
    drawn = []
    real = fragments.get_template_attribute
    monkeypatch.setattr(fragments, "get_template_attribute",
                        lambda *a: drawn.append(a[1]) or real(*a))
    url = f"/organizer/competitions/{world.competition.id}/progress"
    first = org.get(url).get_data(as_text=True)
    assert sorted(drawn) == ["bar_chart", "bar_chart", "competition_nav", "disagreement_rows",
                             "juror_rows", "short_rows"]
    again = org.get(url).get_data(as_text=True)
    assert len(drawn) == 6  # the tabs, every table body and chart kept from the first view
    spread = again[again.index('id="disagreement-table"'):]
    assert "Rina &lt;R&amp;D&gt;: 90.0; Budi: 30.0" in spread and "<R&D>" not in again
    assert first.replace(first[first.index("csrf"):first.index("csrf") + 200], "") == \
        again.replace(again[again.index("csrf"):again.index("csrf") + 200], "")


def test_kept_tabs_follow_the_language_the_body_grant_and_a_new_name(web, world, make):
    """The crumbs and tabs are kept per process: each language, each organizer's body
    permission and a renamed competition still get their own."""
    make.organizer(world.competition, email="lingkup@juara.test")
    make.commit()
    url = f"/organizer/competitions/{world.competition.id}/progress"
    entrants = f'href="/organizer/organisations/{world.body.id}/entrants"'

    def tabs():
        page = web.get(url).get_data(as_text=True)
        return page[page.index('<p class="crumbs">'):page.index("</nav>", page.index("org-tabs"))]

    web.login(world.organizer.email)  # organizes the whole body: the entrants tab
    indonesian = tabs()
    assert ">Kemajuan</a>" in indonesian and entrants in indonesian
    assert "IKP Fest 2026" in indonesian
    web.post("/auth/language", {"lang": "en"})
    english = tabs()
    assert ">Progress</a>" in english and ">Kemajuan</a>" not in english
    web.post("/auth/logout", {})
    web.login("lingkup@juara.test")  # this competition only: no entrants tab
    scoped = tabs()
    assert entrants not in scoped and ">Kemajuan</a>" in scoped
    world.competition.name = "IKP Fest Baru"
    make.commit()
    assert "IKP Fest Baru 2026" in tabs()
