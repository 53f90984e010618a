"""Ranking charts size their label room from the labels: long names stay inside the SVG."""

import re
import xml.etree.ElementTree as ET

from judging.extensions import db
from judging.models import User
from tests.app.results_world import build_results_world

CHAR_W = 7.5  # the 13 px label font's generous average advance
JUROR = "Prof. Dr. Ir. Raden Mas Bambang Sutrisno Hadiwijaya, M.Sc."
LONG = "Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Kepulauan Seribu"


def svgs(html):
    found = re.findall(r"<svg class=\"ranking-chart.*?</svg>", html, re.S)
    return [ET.fromstring(s) for s in found]


def outside(svg):
    """Every text element whose estimated extent leaves the viewBox."""
    _, _, width, _ = (float(v) for v in svg.get("viewBox").split())
    bad = []
    for text in svg.iter("text"):
        shown = (text.text or "") + "".join(child.tail or "" for child in text)
        x, size = float(text.get("x")), len(shown.strip()) * CHAR_W
        left = {"end": x - size, "middle": x - size / 2}.get(text.get("text-anchor"), x)
        if left < 0 or left + size > width:
            bad.append(shown)
    return bad


def test_long_entrant_and_juror_names_lie_within_the_charts(app, make, web):
    world = build_results_world(
        make, names={0: LONG, 1: "Dinas Kesehatan Provinsi Kalimantan Timur"})
    db.session.get(User, world.jurors[0].id).name = JUROR
    make.commit()
    web.login(world.organizer.email)
    html = web.get(f"/organizer/categories/{world.category.id}/ranking").get_data(as_text=True)
    charts = svgs(html)
    assert len(charts) == 2
    for svg in charts:
        assert outside(svg) == []
    # the name too long to print in full keeps its whole text as a tooltip
    titles = [t.text for svg in charts for t in svg.iter("title")]
    assert f"1. {LONG}" in titles
    assert JUROR in titles
    assert "Dinas Kesehatan Provinsi Kalimantan Timur" in html
