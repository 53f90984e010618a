"""Published results show the organising body's logo and how many entries got each band."""

import io
import re
import xml.etree.ElementTree as ET

from judging.evidence import evidence_store
from judging.extensions import db
from judging.models import Organisation
from tests.app.results_world import build_results_world
from tests.app.test_public_results import publish
from tests.unit.test_certificates_helpers import png_bytes


def published_world(make):
    world = build_results_world(make, phase="moderation")
    publish(world)
    make.commit()
    return world


def test_the_body_logo_heads_the_results_and_is_served_as_an_image(app, make, client):
    world = published_world(make)
    url = f"/results/{world.competition.id}"
    assert 'id="results-logo"' not in client.get(url).get_data(as_text=True)
    assert client.get(url + "/logo").status_code == 404
    body = db.session.get(Organisation, world.competition.organisation_id)
    body.logo_key = evidence_store().put(io.BytesIO(png_bytes(30, 30)))
    make.commit()
    assert f'src="{url}/logo"' in client.get(url).get_data(as_text=True)
    logo = client.get(url + "/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert logo.data.startswith(b"\x89PNG") and logo.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unpublished_competition_serves_no_logo(app, make, client):
    world = build_results_world(make, phase="final")
    body = db.session.get(Organisation, world.competition.organisation_id)
    body.logo_key = evidence_store().put(io.BytesIO(png_bytes(30, 30)))
    make.commit()
    assert client.get(f"/results/{world.competition.id}/logo").status_code == 404


def test_each_category_has_a_band_distribution_chart(app, make, client):
    world = published_world(make)
    html = client.get(f"/results/{world.competition.id}").get_data(as_text=True)
    found = re.search(rf'<svg[^>]*id="bands-{world.category.id}".*?</svg>', html, re.S)
    svg = ET.fromstring(found.group(0))
    labels = [t.text.strip() for t in svg.iter("text") if t.get("class") == "chart-label"]
    values = [t.text.strip() for t in svg.iter("text") if t.get("class") == "chart-value"]
    bands = re.findall(r'<td class="band"[^>]*>(.*?)</td>', html)
    expected = {b: bands.count(b) for b in bands if b != "–"}
    assert dict(zip(labels, map(int, values), strict=True)) == expected and sum(expected.values())
