"""The participant's entry page: its links follow the script root, its sizes the language."""

from __future__ import annotations

import re

import jinja2

from judging import driver_sql
from judging.extensions import db
from judging.models import Evidence
from judging.participant import loading
from tests.app.test_evidence_uploads import build_world


def test_entry_page_links_follow_the_script_root_it_is_served_under(web, make):
    world = build_world(make)
    entry_id = world.entry.id
    pdf = Evidence(entry_id=entry_id, kind="file", storage_key="a" * 64, file_kind="pdf",
                   original_name="Laporan.pdf", label="", size=2048)
    db.session.add(pdf)
    db.session.commit()
    web.login("p@juara.test")
    pages = web.under_roots(f"/participant/entries/{entry_id}")
    for page, root in pages:
        assert f'href="{root}/evidence/{pdf.id}" class="evidence-name">Laporan.pdf' in page
        assert f'action="{root}/participant/entries/{entry_id}/evidence/{pdf.id}/delete"' in page
        assert f'action="{root}/participant/entries/{entry_id}/evidence"' in page
        assert f'href="{root}/participant/entries/{entry_id}/saq"' in page
        assert f'href="{root}/participant/">' in page
    assert 'action="/participant/' not in pages[1][0]


def test_entry_page_sizes_are_written_in_the_reader_language(web, make):
    world = build_world(make)
    db.session.add(Evidence(entry_id=world.entry.id, kind="file", storage_key="b" * 64,
                            file_kind="pdf", original_name="a.pdf", label="", size=1536))
    db.session.commit()
    web.login("p@juara.test")
    indonesian = web.get(f"/participant/entries/{world.entry.id}").get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    english = web.get(f"/participant/entries/{world.entry.id}").get_data(as_text=True)
    assert ">1,5 KB</meter>" in indonesian and ">1.5 KB</meter>" in english


def test_entry_page_status_badge_follows_the_reader_language_on_each_view(web, make):
    world = build_world(make)
    web.login("p@juara.test")
    url = f"/participant/entries/{world.entry.id}"
    badge = '<span id="entry-status"><span class="badge badge-draft">%s</span></span>'
    assert badge % "Draf" in web.get(url).get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    assert badge % "Draft" in web.get(url).get_data(as_text=True)
    web.post("/auth/language", {"lang": "id"})
    assert badge % "Draf" in web.get(url).get_data(as_text=True)


def test_entry_page_rows_come_through_the_prebuilt_statement_path(web, make, monkeypatch):
    world = build_world(make)
    read = []
    rows = driver_sql.rows

    def spying(connection, statement, params=None):
        read.append(statement)
        return rows(connection, statement, params)

    monkeypatch.setattr(driver_sql, "rows", spying)
    web.login("p@juara.test")
    read.clear()
    page = web.get(f"/participant/entries/{world.entry.id}")
    assert page.status_code == 200 and world.entry.code in page.get_data(as_text=True)
    assert loading._OWN_ROWS in read


def test_entry_page_imports_no_template_module_on_each_view(web, make, monkeypatch):
    world = build_world(make)
    web.login("p@juara.test")
    url = f"/participant/entries/{world.entry.id}"
    web.get(url)
    found = []
    module = jinja2.Template._get_default_module
    monkeypatch.setattr(jinja2.Template, "_get_default_module",
                        lambda self, *a, **k: found.append(self.name) or module(self, *a, **k))
    page = web.get(url).get_data(as_text=True)
    assert found == []  # each import compared every global of the page, on every view
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert page.count(f'name="csrf_token" value="{token}"') >= 4  # every form posts the page's
    assert '<span class="badge badge-draft">Draf</span>' in page
