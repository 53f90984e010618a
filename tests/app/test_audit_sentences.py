"""The audit log in sentences: no raw action key, no JSON, before → after with human labels."""

from __future__ import annotations

import ast
import html as html_lib
import re
from pathlib import Path

from judging.audit import record
from judging.competitions.audit_actions import ACTIONS
from tests.fixtures.worlds.organizer_world import build_world
from tests.fixtures.worlds.results_world import build_results_world

ROOT = Path(__file__).resolve().parents[2]
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*\b")


def audited_actions() -> set[str]:
    """Every action passed to ``record``/``_audit`` (or assigned to ``action``) in judging/."""
    found = set()
    for path in (ROOT / "judging").rglob("*.py"):
        tree = ast.parse(path.read_text())
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and getattr(n.func, "id", getattr(n.func, "attr", "")) in ("record", "_audit",
                                                                   "audit_row")
        ]
        if not calls:
            continue
        nodes = [a for c in calls for a in c.args[:2]]
        nodes += [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign)
            and any(getattr(t, "id", "") == "action" for t in n.targets)
        ]
        for node in nodes:
            for leaf in ast.walk(node):
                if (
                    isinstance(leaf, ast.Constant)
                    and isinstance(leaf.value, str)
                    and RAW_KEY.fullmatch(leaf.value)
                ):
                    found.add(leaf.value)
    return found


def visible(page: str) -> str:
    """The text a reader sees in the log table (tags, attribute values and options dropped)."""
    table = page[page.index('id="audit-table"') : page.index("</table>")]
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", table))


def test_every_audited_action_has_a_sentence():
    actions = audited_actions()
    assert len(actions) > 50  # the scan still finds the call sites
    assert actions - set(ACTIONS) == set()


RICH = {  # one of every shape a snapshot holds: ids, decimals, moments, lists, nested maps
    "before": {
        "phase": "judging",
        "weights": {"website": 30, "saq": 40},
        "status": "draft",
        "submission_deadline": "2026-05-12T02:00:00+00:00",
        "places": 3,
        "criteria": [{"key": "isi", "label": "Isi", "weight": "20.00", "max": "100.00"}],
        "signatories": [{"name": "A", "position": "Kadis", "image": None}],
    },
    "after": {
        "phase": "moderation",
        "weights": {"website": 35, "saq": 35},
        "status": "submitted",
        "submission_deadline": "2026-05-19T02:00:00+00:00",
        "places": 5,
        "value": "86.50",
        "criteria": [{"key": "isi", "label": "Isi", "weight": "25.00", "max": "100.00"}],
        "signatories": [{"name": "B", "position": "Kadis", "image": {"key": "k", "kind": "png"}}],
        "gaps": [
            {
                "category_id": 1,
                "kind": "marks",
                "message_id": "Nilai kurang",
                "message_en": "Marks missing",
            }
        ],
        "loads": {"3": 2},
        "changed": {"BP01": {"name": ["Lama", "Baru"]}},
        "file_sha256": "ab" * 32,
        "a_future_key": {"nested": [1, 2, {"x": 1}]},
    },
}


def record_every_kind(world, make):
    category = world.category(name="Badan Publik")
    for action in [*ACTIONS, "future.unknown_thing"]:
        record(
            action,
            object_type="category",
            object_id=category.id,
            competition_id=world.competition.id,
            actor_id=world.organizer.id,
            **RICH,
        )
    record(
        "saq.objection_filed",
        object_type="saq_objection",
        object_id=999_999,
        competition_id=world.competition.id,
        after={"entry_code": "BP01", "reason": "Salah"},
    )
    make.commit()
    return category


def test_log_reads_as_sentences_in_both_languages(make, web):
    world = build_world(make)
    record_every_kind(world, make)
    web.login(world.organizer.email)
    url = f"/organizer/competitions/{world.competition.id}/audit"
    for lang, words in (
        ("id", ("Tahap", "Penjurian → Moderasi", "Sari Penyelenggara mengubah")),
        ("en", ("Phase", "Judging → Moderation", "Sari Penyelenggara changed")),
    ):
        web.post("/auth/language", {"lang": lang})
        text = ""
        for page in range(1, 3):
            text += visible(web.get(f"{url}?page={page}").get_data(as_text=True))
        assert RAW_KEY.findall(text) == [], lang
        assert "{" not in text and '":' not in text and "_id" not in text, lang
        assert all(w in text for w in words), lang
        assert "ab" * 32 not in text  # hashes stay in the stored event


def test_filter_offers_human_action_names(make, web):
    world = build_world(make)
    record(
        "competition.phase",
        object_type="competition",
        object_id=world.competition.id,
        competition_id=world.competition.id,
        before={"phase": "open"},
        after={"phase": "judging"},
    )
    make.commit()
    web.login(world.organizer.email)
    page = web.get(f"/organizer/competitions/{world.competition.id}/audit").get_data(as_text=True)
    assert '<option value="competition.phase">Tahap lomba diubah</option>' in page
    assert ">competition.phase<" not in page


def test_weight_change_reads_before_and_after(make, web):
    world = build_world(make)
    category = world.category(name="Badan Publik")
    make.commit()
    web.login(world.organizer.email)
    data = {
        "name": category.name,
        "code": category.code,
        "level": category.level,
        "places": "3",
        "aggregation": "trimmed",
        "required_marks": "0",
        "disagreement_threshold": "15",
        "description": "",
        "weight_website": "30",
        "weight_saq": "40",
        "weight_presentation": "30",
        "threshold_gate_saq": "65",
    }
    data.update(weight_website="20", weight_saq="50", threshold_gate_saq="70")
    assert web.post(f"/organizer/categories/{category.id}/edit", data).status_code == 302
    text = visible(
        web.get(f"/organizer/competitions/{world.competition.id}/audit").get_data(as_text=True)
    )
    assert "Sari Penyelenggara mengubah pengaturan kategori Badan Publik." in text
    assert re.search(r"Bobot Verifikasi website\s*:\s*30 → 20", text)
    assert re.search(r"Bobot Nilai SAQ\s*:\s*40 → 50", text)
    assert "Bobot Presentasi" not in text  # unchanged components are not listed
    assert re.search(r"Ambang Nilai SAQ minimum untuk lanjut\s*:\s*65 → 70", text)
    assert re.search(r"Agregasi nilai juri\s*:\s*Rata-rata → Rata-rata terpangkas", text)
    web.post("/auth/language", {"lang": "en"})
    text = visible(
        web.get(f"/organizer/competitions/{world.competition.id}/audit").get_data(as_text=True)
    )
    assert "Sari Penyelenggara changed the settings of category Badan Publik." in text
    assert re.search(r"Weight SAQ score\s*:\s*40 → 50", text)


def test_real_snapshots_name_people_entries_and_scores(make, web):
    w = build_results_world(make)
    entry, juror, category = w.entries[0], w.jurors[0], w.category
    events = [
        ("results.frozen", "category", category.id, None,
         {"entries": 3, "totals": {str(entry.id): "90.50"},
          "awarded": [{"entry_id": entry.id, "rank": 1, "total": "90.50",
                       "award": "Peringkat Pertama"}]}),
        ("entrant.imported", "organisation", w.competition.organisation_id, None,
         {"created": 1, "new": ["X1"], "changed": {"BP01": {"name": ["Lama", "Baru"]}}}),
        ("assignment.automatic", "category", category.id, None,
         {"k": 2, "pool": [juror.id], "loads": {str(juror.id): 3}}),
        ("mark.changed", "mark", 1, {"value": "60.00", "comment": ""},
         {"value": "70.00", "comment": "ok", "juror_id": juror.id, "entry_id": entry.id,
          "criterion_id": category.criteria[0].id}),
    ]
    for action, kind, key, before, after in events:
        record(action, object_type=kind, object_id=key, competition_id=w.competition.id,
               actor_id=w.organizer.id, before=before, after=after)
    make.commit()
    web.login(w.organizer.email)
    text = " ".join(visible(web.get(f"/organizer/competitions/{w.competition.id}/audit")
                            .get_data(as_text=True)).split())
    assert "Panitia membekukan peringkat kategori Badan Publik." in text
    assert "Nilai akhir : BP-001 (Dinas Kominfo): 90,50" in text
    assert "Peringkat: 1; Nilai akhir: 90,50; Penghargaan: Peringkat Pertama" in text
    assert "Perubahan : BP01 (Nama: Lama → Baru)" in text
    assert "Juri yang dibagi : Juri Nama 1" in text and "Beban juri : Juri Nama 1: 3" in text
    assert "Nilai : 60 → 70" in text and "Juri : Juri Nama 1" in text
