"""Categories: creation from a method, settings with weights totalling 100, the rubric lock."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import AuditEvent, Category, Criterion
from judging.plugin_setup import methods
from tests.fixtures.worlds.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def settings_form(category, **changes):
    data = {"name": category.name, "code": category.code, "level": category.level,
            "places": "3", "aggregation": "median", "required_marks": "2",
            "disagreement_threshold": "15", "description": ""}
    for key, value in category.weights.items():
        data[f"weight_{key}"] = str(value)
    for key, value in category.thresholds.items():
        data[f"threshold_{key}"] = str(value)
    data.update(changes)
    return data


def test_new_category_offers_every_method_and_seeds_from_it(org, world):
    page = org.get(f"/organizer/competitions/{world.competition.id}/categories/new")
    html = page.get_data(as_text=True)
    for key, _label in methods().choices():
        assert f'value="{key}"' in html
    response = org.post(f"/organizer/competitions/{world.competition.id}/categories/new", {
        "name": "Media Sosial Kecamatan", "code": "ms", "method_key": "social_media",
        "level": "kecamatan", "places": "3"})
    assert response.status_code == 302
    category = db.session.scalar(select(Category).where(Category.code == "MS"))
    method = methods().get("social_media")
    assert category.weights == {c.key: c.weight for c in method.components}
    assert [c.key for c in category.criteria] == [c.key for c in method.criteria]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "category.created"))


def test_duplicate_category_code_is_refused(org, world):
    world.category(code="KIP")
    db.session.commit()
    page = org.post(f"/organizer/competitions/{world.competition.id}/categories/new", {
        "name": "Lain", "code": "kip", "method_key": "social_media", "level": "opd",
        "places": "3"}, follow_redirects=True).get_data(as_text=True)
    assert "sudah dipakai" in page
    assert db.session.scalar(select(func.count()).select_from(Category)) == 1


def test_settings_save_with_weights_totalling_100(org, world):
    category = world.category()
    db.session.commit()
    response = org.post(f"/organizer/categories/{category.id}/edit", settings_form(
        category, weight_website="20", weight_saq="50", weight_presentation="30",
        threshold_gate_saq="70", blind="y", normalise="y"))
    assert response.status_code == 302
    db.session.expire_all()
    category = db.session.get(Category, category.id)
    assert category.weights == {"website": 20.0, "saq": 50.0, "presentation": 30.0}
    assert category.thresholds == {"gate_saq": 70.0}
    assert category.blind and category.normalise and category.aggregation == "median"
    assert category.required_marks == 2 and category.disagreement_threshold == Decimal("15.00")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "category.updated"))
    assert event.before["weights"]["saq"] == 40 and event.after["weights"]["saq"] == 50


def test_weights_not_totalling_100_are_refused_with_a_clear_message(org, world):
    category = world.category()
    db.session.commit()
    before = dict(category.weights)
    page = org.post(f"/organizer/categories/{category.id}/edit", settings_form(
        category, weight_website="20", weight_saq="40", weight_presentation="30",
        aggregation="trimmed")).get_data(as_text=True)
    assert "Jumlah bobot komponen 90, harus 100" in page
    db.session.expire_all()
    category = db.session.get(Category, category.id)
    assert category.weights == before and category.aggregation == "mean"


def rubric_post(category, rows, action="save"):
    data = {"action": action}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return data


def current_rows(category):
    return [{"id": str(c.id), "label": c.label, "guidance": c.guidance,
             "weight": str(c.weight), "max_mark": str(c.max_mark)} for c in category.criteria]


def test_rubric_edit_add_and_remove(org, world):
    category = world.category()
    db.session.commit()
    rows = current_rows(category)
    removed = rows[-1]["label"]
    rows[0]["label"], rows[0]["weight"] = "Komitmen pimpinan", "35"
    rows[-1]["remove"] = "y"
    rows.append({"id": "", "label": "Kualitas Presentasi", "guidance": "Jelas dan runtut",
                 "weight": "10", "max_mark": "10"})
    # "Tambah kriteria" only adds an empty row to the page, saving nothing
    page = org.post(f"/organizer/categories/{category.id}/criteria",
                    rubric_post(category, rows, "add")).get_data(as_text=True)
    assert f'name="rows-{len(rows)}-label"' in page
    response = org.post(f"/organizer/categories/{category.id}/criteria",
                        rubric_post(category, rows))
    assert response.status_code == 302
    db.session.expire_all()
    category = db.session.get(Category, category.id)
    labels = [c.label for c in category.criteria]
    assert labels[0] == "Komitmen pimpinan" and removed not in labels
    assert labels[-1] == "Kualitas Presentasi"
    assert category.criteria[-1].key == "kualitas_presentasi"
    assert category.criteria[-1].max_mark == Decimal("10.00")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "category.rubric"))


def test_rubric_rows_that_make_no_sense_change_nothing(org, world):
    category = world.category()
    db.session.commit()
    rows = current_rows(category)
    rows[1]["weight"] = "0"
    page = org.post(f"/organizer/categories/{category.id}/criteria",
                    rubric_post(category, rows)).get_data(as_text=True)
    assert "harus lebih dari 0" in page
    all_removed = [dict(r, remove="y") for r in current_rows(category)]
    page = org.post(f"/organizer/categories/{category.id}/criteria",
                    rubric_post(category, all_removed)).get_data(as_text=True)
    assert "minimal satu kriteria" in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Criterion)) == len(rows)


def test_rubric_is_locked_once_judging_starts(org, world):
    category = world.category()
    world.competition.phase = "judging"
    db.session.commit()
    snapshot = [(c.label, c.weight) for c in category.criteria]
    page = org.get(f"/organizer/categories/{category.id}/criteria").get_data(as_text=True)
    assert "Rubrik terkunci" in page and "disabled" in page
    rows = current_rows(category)
    rows[0]["label"] = "Diubah diam-diam"
    page = org.post(f"/organizer/categories/{category.id}/criteria",
                    rubric_post(category, rows), follow_redirects=True).get_data(as_text=True)
    assert "Rubrik terkunci karena penjurian sudah dimulai; tidak ada yang diubah." in page
    db.session.expire_all()
    category = db.session.get(Category, category.id)
    assert [(c.label, c.weight) for c in category.criteria] == snapshot
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "category.rubric")
                             ) is None


def test_new_categories_are_refused_after_open(org, world):
    world.competition.phase = "judging"
    db.session.commit()
    org.post(f"/organizer/competitions/{world.competition.id}/categories/new", {
        "name": "Telat", "code": "TL", "method_key": "social_media", "level": "opd",
        "places": "3"})
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
