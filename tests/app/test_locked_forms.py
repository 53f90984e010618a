"""After Final or publication, forms show read-only (disabled, with a note), not editable."""

from __future__ import annotations

import re

import pytest

from judging.results.freeze import freeze_results
from tests.fixtures.worlds.results_world import build_results_world


def editable_inputs(page: str, form_marker: str) -> list[str]:
    """Inputs of a form that a reader could type into (not hidden, not disabled)."""
    start = page.index(form_marker)
    form = page[start:page.index("</form>", start)]
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form)
    return [t for t in tags if 'type="hidden"' not in t and "disabled" not in t]


@pytest.fixture
def final_world(make):
    world = build_results_world(make, phase="final")
    freeze_results(world.competition)
    make.commit()
    return world


def test_category_settings_are_read_only_after_final(final_world, web):
    web.login(final_world.organizer.email)
    page = web.get(f"/organizer/categories/{final_world.category.id}/edit").get_data(as_text=True)
    assert 'id="settings-locked"' in page and "hanya bisa dilihat" in page
    assert re.search(r'<fieldset[^>]*id="settings-fields"[^>]*disabled', page)
    assert 'id="save-category"' not in page


def test_category_settings_are_editable_before_final(make, web):
    world = build_results_world(make)  # moderation
    web.login(world.organizer.email)
    page = web.get(f"/organizer/categories/{world.category.id}/edit").get_data(as_text=True)
    assert 'id="settings-locked"' not in page and 'id="save-category"' in page
    assert not re.search(r'<fieldset[^>]*id="settings-fields"[^>]*disabled', page)


def test_rubric_is_read_only_after_final(final_world, web):
    web.login(final_world.organizer.email)
    page = web.get(f"/organizer/categories/{final_world.category.id}/criteria").get_data(
        as_text=True)
    assert "Rubrik terkunci" in page
    assert editable_inputs(page, 'id="rubric-form"') == []


def test_scoring_form_is_read_only_after_final(final_world, web):
    web.login(final_world.jurors[0].email)
    page = web.get(f"/jury/entry/{final_world.entries[0].id}").get_data(as_text=True)
    assert 'id="write-closed"' in page
    assert editable_inputs(page, "data-jury-score") == []
    assert 'id="submit-sheet"' not in page and 'id="save-draft"' not in page


def test_participant_entry_is_read_only_after_publication(final_world, make, web):
    entry = final_world.entries[0]
    participant = make.participant(entry.entrant, email="peserta@juara.test")
    final_world.competition.phase = "published"
    make.commit()
    web.login(participant.email)
    page = web.get(f"/participant/entries/{entry.id}").get_data(as_text=True)
    assert 'id="lock-reason"' in page
    assert f'action="/participant/entries/{entry.id}"' not in page  # no details form
    assert 'id="submit-entry"' not in page
