"""The organizer's dashboard: deadline, progress and a "perlu tindakan" list linking to fixes."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from judging.extensions import db
from judging.models import Job, Scoresheet
from judging.models.types import utcnow
from tests.app.results_world import build_results_world


def attention_links(html):
    section = re.search(r'<section class="card attention" id="attention">(.*?)</section>',
                        html, re.S).group(1)
    return dict((text.strip(), href) for href, text in
                re.findall(r'<a href="([^"]+)">([^<]+)</a>', section))


def busy_world(make):
    """Judging whose window has passed: one entry short of sheets, one without monev,
    a revisit request open and a failed export."""
    world = build_results_world(make, phase="judging")
    world.competition.judging_ends = utcnow() - timedelta(hours=1)
    late = make.entry(world.category, status="submitted", code="BP-009")  # no monev, no marks
    sheet = db.session.scalars(db.select(Scoresheet)).first()
    sheet.revisit_requested_at = utcnow()
    job = Job(id=str(uuid.uuid4()), kind="ranking_export", competition_id=world.competition.id,
              state="failed", params={"title": "Ekspor peringkat Monev KIP"})
    db.session.add(job)
    make.commit()
    return world, late, job


def test_competition_page_lists_what_needs_doing_with_links(app, make, web):
    world, late, job = busy_world(make)
    web.login(world.organizer.email)
    cid, cat = world.competition.id, world.category.id
    html = web.get(f"/organizer/competitions/{cid}").get_data(as_text=True)
    links = attention_links(html)
    assert links == {
        "Akhir penjurian sudah lewat: lanjutkan ke tahap berikutnya.":
            f"/organizer/competitions/{cid}",
        # Perhubungan (not advanced, no sheets) and the late entry
        "2 entri belum cukup lembar nilai terkirim.": f"/organizer/competitions/{cid}/progress",
        "Kategori &#39;Badan Publik&#39;: 1 entri belum punya data monev.":
            f"/organizer/categories/{cat}/monev",
        "1 permintaan tinjau ulang belum dijawab juri.":
            f"/organizer/competition/{cid}/moderation",
        "Pekerjaan latar belakang gagal: Ekspor peringkat Monev KIP.":
            f"/organizer/jobs/{job.id}",
    }
    for href in links.values():
        assert web.get(href).status_code == 200, href
    assert "Akhir penjurian: sudah lewat" in re.sub(r"\s+", " ", html)
    assert "Entri terkirim 5/5" in html and "Lembar nilai terkirim 6/10" in html


def test_draft_problems_link_to_the_category_and_the_deadline(app, make, web):
    competition = make.competition(phase="draft", submission_deadline=None)
    category = make.category(competition, name="Kota")
    category.weights = {"website": 50, "saq": 50, "presentation": 50}
    organizer = make.organizer(competition, email="panitia@juara.test")
    make.commit()
    web.login(organizer.email)
    links = attention_links(web.get(f"/organizer/competitions/{competition.id}")
                            .get_data(as_text=True))
    assert links.pop("Batas waktu pengiriman belum diisi.") == \
        f"/organizer/competitions/{competition.id}/edit"
    assert links and set(links.values()) == {f"/organizer/categories/{category.id}/edit"}
    assert all(text.startswith("Kategori &#39;Kota&#39;") for text in links)


def test_home_shows_time_left_progress_and_the_count_in_english_too(app, make, web):
    world = build_results_world(make, phase="judging")
    world.competition.judging_ends = utcnow() + timedelta(days=2, hours=3, minutes=5)
    make.commit()
    web.login(world.organizer.email)
    html = re.sub(r"\s+", " ", web.get("/organizer/").get_data(as_text=True))
    assert "Akhir penjurian: 2 hari 3 jam lagi" in html
    assert re.search(rf'data-competition="{world.competition.id}"><a [^>]*>1 hal</a>', html)
    web.post("/auth/language", {"lang": "en"})
    html = re.sub(r"\s+", " ", web.get("/organizer/").get_data(as_text=True))
    assert "End of judging: 2 days 3 hours left" in html and "Needs attention" in html


def test_nothing_to_do_says_so(app, make, web):
    world = build_results_world(make, phase="published")
    web.login(world.organizer.email)
    html = web.get(f"/organizer/competitions/{world.competition.id}").get_data(as_text=True)
    assert "Tidak ada yang perlu ditindaklanjuti sekarang." in html
