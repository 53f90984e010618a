"""Organizer ranking pages: every column, flags, breakdowns, charts, special awards, access."""

import re

from sqlalchemy import select

from judging.extensions import db
from judging.models import AuditEvent, Category, SpecialAward
from judging.results.freeze import freeze_results
from tests.fixtures.worlds.results_world import build_results_world


def text(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def row_cells(html, code):
    """The cell texts of the ranking row of one entry code."""
    row = re.search(rf'<tr class="ranking-row[^"]*" data-entry="{code}">(.*?)</tr>', html, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in cells]


def test_live_ranking_page_shows_components_total_band_award_and_flags(app, make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    html = text(web.get(f"/organizer/categories/{world.category.id}/ranking"))
    assert 'id="ranking-state"' in html and "Peringkat langsung" in html
    first = row_cells(html, "BP-001")
    assert first[0] == ["1"] and first[1][:2] == ["Dinas", "Kominfo"]
    assert first[2:6] == [["90,00"], ["95,00"], ["85,00"], ["90,50"]]
    assert first[6] == ["Informatif"] and first[7] == ["Peringkat", "Pertama"]
    assert first[8] == ["2"]
    last = row_cells(html, "BP-004")
    assert last[8] == ["0"] and last[9] == ["Tidak", "lolos", "tahap"]
    # breakdown: each juror named for organizers, weights and sub-scores
    assert "Juri Nama 1" in html and "Juri Nama 2" in html
    assert "Nilai SAQ" in html and "Bobot yang dipakai" in html
    assert 'id="chart-totals"' in html and 'id="chart-jurors"' in html
    assert html.count('class="strip-dot"') == 6  # 3 advanced entries × 2 jurors
    assert 'style="' not in html


def test_frozen_page_says_so(app, make, web):
    world = build_results_world(make, phase="final")
    freeze_results(world.competition)
    make.commit()
    web.login(world.organizer.email)
    html = text(web.get(f"/organizer/categories/{world.category.id}/ranking"))
    assert "Hasil beku sejak" in html
    summary = text(web.get(f"/organizer/competitions/{world.competition.id}/rankings"))
    assert "Peringkat Pertama" in summary and "beku" in summary


def test_impossible_settings_are_explained_not_crashed(app, make, web):
    world = build_results_world(make)
    category = db.session.get(Category, world.category.id)
    category.weights = {"website": 50, "saq": 50, "presentation": 50}
    make.commit()
    web.login(world.organizer.email)
    html = text(web.get(f"/organizer/categories/{world.category.id}/ranking"))
    assert 'id="ranking-problem"' in html


def test_other_organizers_and_jurors_are_refused(app, make, web):
    world = build_results_world(make)
    stranger = make.organizer(make.competition(), email="lain@juara.test")
    make.commit()
    for email in (stranger.email, world.jurors[0].email):
        web.login(email)
        assert web.get(f"/organizer/categories/{world.category.id}/ranking").status_code == 403
        assert web.get(
            f"/organizer/competitions/{world.competition.id}/rankings").status_code == 403
        assert web.post(f"/organizer/categories/{world.category.id}/special-awards",
                        {"entry_id": world.entries[0].id, "label": "Apresiasi"}
                        ).status_code == 403
        web.logout()


def test_special_awards_are_added_shown_removed_and_audited(app, make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/special-awards"
    web.post(url, {"entry_id": world.entries[3].id, "label": "  Apresiasi   Inovasi "})
    award = db.session.scalar(select(SpecialAward))
    assert award.label == "Apresiasi Inovasi" and award.entry_id == world.entries[3].id
    html = text(web.get(f"/organizer/categories/{world.category.id}/ranking"))
    assert "Apresiasi Inovasi" in " ".join(sum(row_cells(html, "BP-004"), []))

    again = web.post(url, {"entry_id": world.entries[3].id, "label": "Apresiasi Inovasi"},
                     follow_redirects=True)
    assert "sudah mendapat" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(SpecialAward)).all()) == 1

    web.post(f"/organizer/special-awards/{award.id}/delete")
    db.session.expire_all()
    assert db.session.scalar(select(SpecialAward)) is None
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["special_award.added", "special_award.removed"]


def test_special_awards_are_locked_once_published(app, make, web):
    world = build_results_world(make, phase="published")
    web.login(world.organizer.email)
    page = web.post(f"/organizer/categories/{world.category.id}/special-awards",
                    {"entry_id": world.entries[0].id, "label": "Apresiasi"},
                    follow_redirects=True)
    assert "sudah diumumkan" in page.get_data(as_text=True)
    assert db.session.scalar(select(SpecialAward)) is None


def test_a_missing_scoring_method_is_explained(app, make, web):
    world = build_results_world(make)
    world.category.method_key = "metode_hilang"
    make.commit()
    web.login(world.organizer.email)
    html = text(web.get(f"/organizer/categories/{world.category.id}/ranking"))
    assert 'id="ranking-problem"' in html and "metode_hilang" in html


def test_ranking_json_is_for_the_competitions_organizers(app, make, web):
    world = build_results_world(make)
    stranger = make.organizer(make.competition(), email="lain@juara.test")
    make.commit()
    url = f"/api/categories/{world.category.id}/ranking"
    assert web.get(url).status_code in (302, 401)
    web.login(stranger.email)
    assert web.get(url).status_code == 403
    web.logout()
    web.login(world.organizer.email)
    data = web.get(url).json
    assert data["frozen"] is False and data["lines"][0]["total"] == "90.50"
    assert data["lines"][0]["breakdown"]["juror_scores"] == {"Juri Nama 1": 90.0,
                                                             "Juri Nama 2": 80.0}


def _form(html: str, action_end: str) -> str:
    start = html.index(f'{action_end}"')
    return html[start:html.index("</form>", start)]


def test_the_pages_forms_post_with_the_token_and_fields_they_carry(app, make, web):
    """The forms are written without form objects: each carries the session's token, and
    the award form its labelled fields in the reader's language."""
    world = build_results_world(make)
    web.login(world.organizer.email)
    page = f"/organizer/categories/{world.category.id}/ranking"
    html = text(web.get(page))
    award = _form(html, "/special-awards")
    assert '<label for="entry_id">Entri</label>' in award
    assert 'for="label">Nama penghargaan' in award
    assert ('<input id="label" maxlength="120" minlength="3" name="label" required type="text"'
            ' value="">') in award
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', award).group(1)
    export = _form(html, "/export")
    assert ('<input id="category_id" name="category_id" type="hidden" '
            f'value="{world.category.id}">') in export
    assert f'value="{token}"' in export
    web.post(f"/organizer/categories/{world.category.id}/special-awards",
             {"entry_id": world.entries[3].id, "label": "Apresiasi Inovasi", "csrf_token": token})
    award_id = db.session.scalar(select(SpecialAward.id))
    removal = _form(text(web.get(page)), f"/special-awards/{award_id}/delete")
    assert f'value="{token}"' in removal
    web.post(f"/organizer/special-awards/{award_id}/delete", {"csrf_token": token})
    assert db.session.scalar(select(SpecialAward)) is None
    english = _form(text(web.get(page + "?lang=en")), "/special-awards")
    assert '<label for="entry_id">Entry</label>' in english and ">Award name</label>" in english
