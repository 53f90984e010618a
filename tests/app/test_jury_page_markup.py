"""The scoring form's fieldsets, drawn from text worked out once per rubric and language."""

from __future__ import annotations

import re

from tests.fixtures.worlds.jury_world import build_world, form_data


def fieldset(page: str, criterion_id: int) -> str:
    """The fieldset holding the criterion's mark input."""
    inside = r"(?:(?!</fieldset>).)*"
    found = re.search(rf'<fieldset class="[^"]*">{inside}id="mark_{criterion_id}"{inside}'
                      r"</fieldset>", page, re.S)
    assert found, criterion_id
    return found.group(0)


def test_a_refused_mark_marks_its_own_fieldset_and_shows_what_was_typed_escaped(web, make):
    world = build_world(make)
    entry = world.entries[0]
    first, second = world.criteria[0].id, world.criteria[1].id
    web.login("juri@juara.test")
    data = form_data(world, entry, ['"><b>x', 70, 90, 70])
    data[f"comment_{first}"] = "</textarea><script>alert(1)</script>"
    response = web.post(f"/jury/entry/{entry.id}/score", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    bad, good = fieldset(page, first), fieldset(page, second)
    assert bad.startswith('<fieldset class="jury-criterion has-error">')
    assert good.startswith('<fieldset class="jury-criterion">')
    assert 'value="&#34;&gt;&lt;b&gt;x">' in bad and '<small class="error">' in bad
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in bad
    assert "<script>alert" not in page and 'class="error"' not in good
    assert f'<label for="mark_{first}">Nilai</label>' in bad
    assert f'<input class="mark-input" data-max="100" data-weight="25.00" id="mark_{second}"' \
        in good and 'value="70">' in good


def test_the_fieldsets_follow_the_reader_language(web, make):
    world = build_world(make)
    entry, first = world.entries[0], world.criteria[0].id
    web.login("juri@juara.test")
    indonesian = fieldset(web.get(f"/jury/entry/{entry.id}").get_data(as_text=True), first)
    web.post("/auth/language", {"lang": "en"})
    english = fieldset(web.get(f"/jury/entry/{entry.id}").get_data(as_text=True), first)
    assert f'<label for="comment_{first}" class="muted">Komentar</label>' in indonesian
    assert f'<label for="comment_{first}" class="muted">Comment</label>' in english
    assert "bobot" in indonesian and "weight" in english


def test_the_page_links_follow_the_script_root_it_is_served_under(web, make):
    world = build_world(make, entries=3)
    first, second = world.entries[0].id, world.entries[1].id
    web.login("juri@juara.test")
    pages = web.under_roots(f"/jury/entry/{second}")
    for page, root in pages:
        assert f'rel="prev" href="{root}/jury/entry/{first}"' in page
        assert f'action="{root}/jury/entry/{second}/score"' in page
        assert f'href="{root}/jury/competition/{world.competition.id}"' in page
    assert 'href="/jury/entry/' not in pages[1][0]


def test_the_monev_table_writes_each_value_in_its_row_in_the_reader_language(web, make):
    from decimal import Decimal

    from judging.extensions import db
    from judging.models import IndicatorValue

    world = build_world(make)
    entry = world.entries[0]
    db.session.add(IndicatorValue(entry_id=entry.id, indicator_key="nilai_saq",
                                  value=Decimal("1287.5")))
    make.commit()
    web.login("juri@juara.test")
    indonesian = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    english = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    def row(header, value):
        return (f'<tbody>\n      \n        <tr><th>{header}</th><td class="num">{value}</td>'
                "</tr>\n      \n      </tbody>")

    assert row("Nilai SAQ", "1.287,5 poin") in indonesian
    assert row("SAQ score", "1,287.5 points") in english
