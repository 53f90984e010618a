"""Chromium at 390 × 844 and at desktop size: nothing a juror, participant or visitor needs is
hidden or pushed off-screen, the header keeps one row and touch targets are 44 px tall."""

from __future__ import annotations

import pytest

from judging.competitions.transitions import change_phase
from judging.extensions import db
from tests.fixtures.worlds.results_world import build_results_world

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(params=list(SIZES))
def screen(request, chromium):
    context = chromium.new_context(locale="id-ID", viewport=SIZES[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield request.param, page
    context.close()


def assert_on_screen(page, locator):
    """Visible, not clipped: inside the viewport's width and not scrolled away in a table."""
    assert locator.is_visible(), locator
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (locator, box)


def assert_page_fits(page, size):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 64, header  # one row
    if size == "phone":
        for target in page.locator("header.topbar a:visible, header.topbar button:visible").all():
            assert target.bounding_box()["height"] >= 44, target.inner_text()


def test_juror_list_and_scoring(live_server, screen, login, make):
    size, page = screen
    competition = make.competition(phase="judging", name="IKP Fest")
    category = make.category(competition, name="Keterbukaan Informasi OPD")
    entry, other = (make.entry(category, status="submitted") for _ in range(2))
    make.juror(competition, [category], email="juri@juara.test", name="Juri Satu")
    make.commit()
    login(page, "juri@juara.test")
    page.goto(f"{live_server.url}/jury/competition/{competition.id}")
    row = page.locator(f'tr[data-entry="{entry.code}"]')
    conflict = row.locator("a.conflict-link", has_text="Nyatakan konflik")
    assert_on_screen(page, conflict)
    assert_on_screen(page, row.locator("a", has_text=entry.entrant.name))
    if size == "phone":
        assert conflict.bounding_box()["height"] >= 44
    assert_page_fits(page, size)

    first = min(entry, other, key=lambda e: e.code)
    page.goto(f"{live_server.url}/jury/entry/{first.id}")
    step = page.locator("#entry-nav-top a[rel=next]")
    for locator in (page.locator("input.mark-input").first, page.locator("#save-draft"),
                    step, page.locator("#entry-nav-bottom a[rel=next]"),
                    page.locator("#entry-nav-top .jury-position")):
        locator.scroll_into_view_if_needed()
        assert_on_screen(page, locator)
    if size == "phone":
        assert step.bounding_box()["height"] >= 44
    assert "1 dari 2" in page.locator("#entry-nav-top").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


def test_participant_entry(live_server, screen, login, make):
    size, page = screen
    competition = make.competition(phase="open", name="IKP Fest")
    category = make.category(competition, name="Keterbukaan Informasi OPD")
    entry = make.entry(category)
    make.participant(entry.entrant, email="peserta@juara.test")
    make.commit()
    login(page, "peserta@juara.test")
    page.goto(f"{live_server.url}/participant/entries/{entry.id}")
    for locator in (page.locator("#slot-general form.upload-form button[type=submit]"),
                    page.locator("#submit-entry")):
        locator.scroll_into_view_if_needed()
        assert_on_screen(page, locator)
    assert_page_fits(page, size)


def test_public_results(live_server, screen, make):
    size, page = screen
    world = build_results_world(make, phase="moderation")
    change_phase(world.competition, "final")
    change_phase(world.competition, "published")
    db.session.commit()
    page.goto(f"{live_server.url}/results/{world.competition.id}")
    table = page.locator("table.results-table").first
    first = table.locator("tbody tr").first
    for column in ("td.band", "td.award"):
        cell = first.locator(column)
        cell.scroll_into_view_if_needed()
        assert_on_screen(page, cell)
    assert "Informatif" in first.inner_text()
    if size == "phone":
        labels = first.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content).join(' ')")
        assert "Predikat" in labels and "Penghargaan" in labels
    assert_page_fits(page, size)
