"""Evidence uploads: each refusal of the issue, and that a refusal leaves no trace."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import AuditEvent, Entry, Evidence, User


@dataclass
class World:
    """An open competition with two entrants, each with a participant."""

    competition: object
    category: object
    entry: Entry
    participant: User
    other_entry: Entry
    other_participant: User


def build_world(make) -> World:
    """Two entrants in one open category, each with its participant (shared by the tests)."""
    org = make.organisation()
    competition = make.competition(org, phase="open")
    category = make.category(competition, method_key="information_disclosure")
    entry = make.entry(category)
    participant = make.participant(entry.entrant, email="p@juara.test")
    other_entry = make.entry(category)
    other = make.participant(other_entry.entrant, email="other@juara.test")
    make.commit()
    return World(competition, category, entry, participant, other_entry, other)


@pytest.fixture
def world(make):
    return build_world(make)


def pdf_bytes(body: bytes = b"") -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\n" + body + b"\ntrailer <<>>\n%%EOF\n"


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Nilai"
    book.save(out)
    return out.getvalue()


def zip_bombed_xlsx() -> bytes:
    """A valid-looking workbook with one part that inflates ~1000-fold."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def upload(web, entry_id, data: bytes, name: str, requirement: str = "", **headers):
    return web.post(f"/participant/entries/{entry_id}/evidence",
                    {"file": (io.BytesIO(data), name), "requirement": requirement},
                    headers=headers)


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def temp_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "tmp"
    return list(folder.iterdir()) if folder.exists() else []


def evidence_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Evidence.id)))


def assert_no_trace(app):
    assert evidence_count() == 0
    assert stored_files(app) == []
    assert temp_files(app) == []
    assert db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "evidence.added")) == 0


def test_pdf_upload_is_stored_under_its_hash_with_the_name_for_display(app, web, world):
    web.login("p@juara.test")
    response = upload(web, world.entry.id, pdf_bytes(), "Laporan Tahunan.pdf")
    assert response.status_code == 303
    evidence = db.session.scalars(select(Evidence)).one()
    assert (evidence.kind, evidence.file_kind, evidence.mime) == ("file", "pdf", "application/pdf")
    assert evidence.original_name == "Laporan Tahunan.pdf"
    [path] = stored_files(app)
    assert path.name == evidence.storage_key and len(evidence.storage_key) == 64
    assert path.read_bytes() == pdf_bytes()
    assert temp_files(app) == []
    page = web.get(f"/participant/entries/{world.entry.id}").get_data(as_text=True)
    assert "Laporan Tahunan.pdf" in page and "diunggah" in page


def test_office_and_image_files_are_accepted(web, world):
    web.login("p@juara.test")
    upload(web, world.entry.id, xlsx_bytes(), "data.xlsx")
    upload(web, world.entry.id, png_bytes(), "foto.png")
    kinds = set(db.session.scalars(select(Evidence.file_kind)))
    assert kinds == {"xlsx", "png"}


def test_oversize_request_gets_the_friendly_413_page_and_leaves_nothing(app, web, world):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    web.login("p@juara.test")
    response = upload(web, world.entry.id, pdf_bytes(b"x" * 100_000), "besar.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Berkas terlalu besar" in page and "<html" in page
    assert_no_trace(app)


def test_oversize_request_without_content_length_is_refused_too(app, web, world):
    """A chunked body carries no Content-Length; the limit is enforced while reading."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    web.login("p@juara.test")
    body = (b"--X\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" +
            web.token().encode() + b"\r\n--X\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
            pdf_bytes(b"y" * 200_000) + b"\r\n--X--\r\n")
    response = web.client.post(
        f"/participant/entries/{world.entry.id}/evidence", input_stream=io.BytesIO(body),
        content_type="multipart/form-data; boundary=X",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert_no_trace(app)


def test_file_over_the_category_limit_is_refused_and_not_written(app, web, world):
    world.category.evidence_rules = {"max_file_mb": 0.05}
    db.session.commit()
    web.login("p@juara.test")
    response = upload(web, world.entry.id, pdf_bytes(b"z" * 80_000), "besar.pdf",
                      Accept="application/json")
    assert response.status_code == 400
    assert "terlalu besar" in response.json["errors"][0]
    assert_no_trace(app)


@pytest.mark.parametrize("data, name", [
    (b"MZ\x90\x00" + b"\0" * 200, "laporan.pdf"),
    (b"<!doctype html><html><script>alert(1)</script></html>", "foto.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>", "logo.webp"),
    (b"just some text", "catatan.docx"),
])
def test_wrong_type_by_content_is_refused_whatever_the_name(app, web, world, data, name):
    web.login("p@juara.test")
    response = upload(web, world.entry.id, data, name)
    assert response.status_code == 303
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "tidak diterima" in page or "tidak didukung" in page
    assert_no_trace(app)


def test_category_types_are_enforced(app, web, world):
    world.category.evidence_rules = {"types": ["pdf"]}
    db.session.commit()
    web.login("p@juara.test")
    response = upload(web, world.entry.id, png_bytes(), "foto.png", Accept="application/json")
    assert response.status_code == 400
    assert "Unggah berkas PDF" in response.json["errors"][0]
    assert_no_trace(app)


def test_zip_bombed_xlsx_is_refused(app, web, world):
    web.login("p@juara.test")
    response = upload(web, world.entry.id, zip_bombed_xlsx(), "rekap.xlsx",
                      Accept="application/json")
    assert response.status_code == 400
    assert "zip bomb" in response.json["errors"][0]
    assert_no_trace(app)


@pytest.mark.parametrize("raw, shown", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),  # the form parser may drop "\\"
    ("lap\x00oran\x1b[31m.pdf", "laporan[31m.pdf"),
    ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),
])
def test_path_parts_and_control_characters_never_reach_disk_or_display(app, web, world, raw,
                                                                       shown):
    web.login("p@juara.test")
    upload(web, world.entry.id, pdf_bytes(), raw)
    evidence = db.session.scalars(select(Evidence)).one()
    assert evidence.original_name.endswith(shown)
    assert not set(evidence.original_name) & {"/", "\\", "\x00", "\x1b", "\u202e"}
    assert not evidence.original_name.startswith(".")
    [path] = stored_files(app)
    assert path.name == evidence.storage_key
    assert path.resolve().is_relative_to(Path(app.config["UPLOAD_FOLDER"]).resolve())
    assert not (Path(app.instance_path).parent / "etc").exists()


def test_over_quota_upload_is_refused_and_earlier_evidence_untouched(app, web, world):
    world.category.evidence_rules = {"max_entry_mb": 0.1}
    db.session.commit()
    web.login("p@juara.test")
    first = pdf_bytes(b"a" * 60_000)
    assert upload(web, world.entry.id, first, "satu.pdf").status_code == 303
    response = upload(web, world.entry.id, pdf_bytes(b"b" * 60_000), "dua.pdf",
                      Accept="application/json")
    assert response.status_code == 400
    assert "Kuota entri terlampaui" in response.json["errors"][0]
    evidence = db.session.scalars(select(Evidence)).one()
    assert evidence.original_name == "satu.pdf"
    [path] = stored_files(app)
    assert path.read_bytes() == first
    assert temp_files(app) == []


def test_failed_store_leaves_earlier_evidence_and_no_row(app, web, world, monkeypatch):
    web.login("p@juara.test")
    upload(web, world.entry.id, pdf_bytes(), "satu.pdf")
    from judging.evidence import evidence_store

    def broken_put(source):
        raise OSError("disk full")

    monkeypatch.setattr(evidence_store(), "put", broken_put)
    with pytest.raises(OSError):
        upload(web, world.entry.id, png_bytes(), "dua.png")
    assert [e.original_name for e in db.session.scalars(select(Evidence))] == ["satu.pdf"]
    assert len(stored_files(app)) == 1
    assert temp_files(app) == []


def test_failed_database_write_removes_the_new_file(app, web, world, monkeypatch):
    web.login("p@juara.test")
    from judging.entries import editing as services

    def broken_audit(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_audit", broken_audit)
    with pytest.raises(RuntimeError):
        upload(web, world.entry.id, pdf_bytes(), "satu.pdf")
    assert evidence_count() == 0
    assert stored_files(app) == []


def test_bad_csrf_token_is_refused_before_anything_is_kept(app, web, world):
    web.login("p@juara.test")
    response = web.client.post(f"/participant/entries/{world.entry.id}/evidence",
                               data={"csrf_token": "forged",
                                     "file": (io.BytesIO(pdf_bytes()), "a.pdf")})
    assert response.status_code == 400
    assert_no_trace(app)


def test_uploading_to_another_entrants_entry_is_404(app, web, world):
    web.login("p@juara.test")
    response = upload(web, world.other_entry.id, pdf_bytes(), "a.pdf")
    assert response.status_code == 404
    assert_no_trace(app)


def test_evidence_slots_per_criterion_like_the_kip_questionnaire(app, web, world):
    world.category.evidence_rules = {"per": "criterion", "types": ["pdf"], "max_file_mb": 2,
                                     "slots_required": True, "general": False}
    db.session.commit()
    web.login("p@juara.test")
    page = web.get(f"/participant/entries/{world.entry.id}").get_data(as_text=True)
    keys = [c.key for c in world.category.criteria]
    for criterion in world.category.criteria:
        assert f'id="slot-{criterion.key}"' in page and criterion.label in page
    assert 'id="slot-general"' not in page
    assert upload(web, world.entry.id, pdf_bytes(), "a.pdf", requirement=keys[0],
                  Accept="application/json").status_code == 200
    refused = upload(web, world.entry.id, pdf_bytes(b"2"), "b.pdf", requirement="",
                     Accept="application/json")
    assert refused.status_code == 400
    unknown = upload(web, world.entry.id, pdf_bytes(b"3"), "c.pdf", requirement="bukan_kunci",
                     Accept="application/json")
    assert unknown.status_code == 400
    assert db.session.scalars(select(Evidence.requirement)).all() == [keys[0]]
    response = web.post(f"/participant/entries/{world.entry.id}/submit")
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "belum diunggah" in page
    assert db.session.get(Entry, world.entry.id).status == "draft"


def test_delete_evidence_removes_row_and_unshared_file(app, web, world):
    web.login("p@juara.test")
    upload(web, world.entry.id, pdf_bytes(), "a.pdf")
    evidence_id = db.session.scalars(select(Evidence.id)).one()
    response = web.post(f"/participant/entries/{world.entry.id}/evidence/{evidence_id}/delete")
    assert response.status_code == 303
    assert evidence_count() == 0 and stored_files(app) == []


def test_shared_file_survives_deleting_one_of_its_records(app, web, world):
    web.login("p@juara.test")
    upload(web, world.entry.id, pdf_bytes(), "a.pdf")
    upload(web, world.entry.id, pdf_bytes(), "a lagi.pdf")
    first, second = db.session.scalars(select(Evidence.id).order_by(Evidence.id)).all()
    web.post(f"/participant/entries/{world.entry.id}/evidence/{first}/delete")
    assert evidence_count() == 1 and len(stored_files(app)) == 1


def test_cannot_delete_another_entrants_evidence(app, web, world):
    web.login("other@juara.test")
    upload(web, world.other_entry.id, pdf_bytes(), "rahasia.pdf")
    evidence_id = db.session.scalars(select(Evidence.id)).one()
    web.logout()
    web.login("p@juara.test")
    for url in (f"/participant/entries/{world.entry.id}/evidence/{evidence_id}/delete",
                f"/participant/entries/{world.other_entry.id}/evidence/{evidence_id}/delete"):
        assert web.post(url).status_code == 404
    assert evidence_count() == 1


def test_links_must_be_http_or_https(web, world):
    web.login("p@juara.test")
    url = f"/participant/entries/{world.entry.id}/links"
    for bad in ("javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x",
                "https://user:pw@example.org/", "https://exa mple.org", "example.org"):
        web.post(url, {"url": bad, "label": "x"})
    assert evidence_count() == 0
    response = web.post(url, {"url": "https://instagram.com/kel.contoh", "label": "Instagram"})
    assert response.status_code == 303
    evidence = db.session.scalars(select(Evidence)).one()
    assert (evidence.kind, evidence.url, evidence.label) == (
        "link", "https://instagram.com/kel.contoh", "Instagram")
    page = web.get(f"/participant/entries/{world.entry.id}").get_data(as_text=True)
    assert 'href="https://instagram.com/kel.contoh" class="evidence-link" rel="noopener' in page
