"""Certificate content, layouts, design validation, batches and parallel rendering."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from judging.io.certificates.pdfs import (
    CertificateContext,
    CertificateDesign,
    CertificateError,
    Signatory,
    available_layouts,
    render_batch,
    render_certificate,
    render_each,
)
from tests.unit.test_certificates_helpers import RESOURCES, make_context, page_texts, pdf_reader

LAYOUTS = ("klasik", "modern")


def test_both_layouts_are_offered():
    assert set(LAYOUTS) <= set(available_layouts())
    assert not any(name.startswith("_") for name in available_layouts())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pdf_text_names_entrant_award_serial_and_code(layout):
    ctx = make_context()
    pdf = render_certificate(ctx, CertificateDesign(layout=layout), resources=RESOURCES)

    reader = pdf_reader(pdf)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    (text,) = page_texts(pdf)
    for wanted in (ctx.entrant_name, ctx.award, ctx.serial, ctx.verification_code,
                   ctx.band, ctx.competition_name, "Nilai akhir: 92,4"):
        assert wanted in text
    assert ctx.organiser_name.upper() in text.upper()  # klasik sets it in capitals
    assert "PENGHARGAAN" in text.replace(" ", "").upper()  # letter-spaced title


@pytest.mark.parametrize("layout", LAYOUTS)
def test_participation_certificate_says_so(layout):
    ctx = make_context(kind="participation", award="Peserta", band=None)
    (text,) = page_texts(render_certificate(ctx, CertificateDesign(layout), resources=RESOURCES))
    assert "PARTISIPASI" in text.replace(" ", "").upper()
    assert "PENGHARGAAN" not in text.replace(" ", "").upper()
    assert "predikat" not in text
    assert ctx.entrant_name in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_qr_code_decodes_to_verify_url(layout, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (QR decoder) not installed")
    image_module = pytest.importorskip("PIL.Image", reason="Pillow not installed")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    ctx = make_context()
    (tmp_path / "c.pdf").write_bytes(
        render_certificate(ctx, CertificateDesign(layout), resources=RESOURCES)
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", tmp_path / "c.pdf", tmp_path / "c"],
        check=True,
    )
    with image_module.open(tmp_path / "c.png") as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [ctx.verify_url]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_up_to_three_signatories_with_optional_images(count):
    people = [
        Signatory(f"Penanda Tangan {i}", f"Jabatan {i}", "ttd-kepala.png" if i % 2 else None)
        for i in range(count)
    ]
    log = []
    pdf = render_certificate(
        make_context(signatories=people), CertificateDesign(), resources=RESOURCES, fetch_log=log
    )
    (text,) = page_texts(pdf)
    for person in people:
        assert person.name in text and person.position in text
    fetched = {attempt.url for attempt in log}
    assert ("resource:ttd-kepala.png" in fetched) == any(p.signature_image for p in people)
    assert all(attempt.served for attempt in log)


def test_more_than_three_signatories_refused():
    people = [Signatory(f"Nama {i}", "Jabatan") for i in range(4)]
    with pytest.raises(CertificateError) as error:
        make_context(signatories=people)
    assert "paling banyak 3" in error.value.message_id


def test_no_logo_means_no_fetch():
    log = []
    render_certificate(
        make_context(organiser_logo=None, signatories=[]), CertificateDesign(),
        resources=RESOURCES, fetch_log=log,
    )
    assert log == []


@pytest.mark.parametrize(
    "colour",
    ["red", "#12345g", "#1234", "0b4f6c", "", None, "#fff;}body{background:url(file:///x)}",
     "#0b4f6c\n", "var(--x)"],
)
def test_bad_colours_refused(colour):
    with pytest.raises(CertificateError) as error:
        CertificateDesign(primary_colour=colour)
    assert "hex" in error.value.message_id and "hex" in error.value.message_en
    with pytest.raises(CertificateError):
        CertificateDesign(accent_colour=colour)


def test_colours_reach_the_page():
    design = CertificateDesign(layout="modern", primary_colour="#ff0000", accent_colour="#00f")
    pdf = render_certificate(make_context(), design, resources=RESOURCES)
    content = pdf_reader(pdf).pages[0].get_contents().get_data()
    assert b"1 0 0 rg" in content  # the primary band is filled pure red
    default = render_certificate(make_context(), CertificateDesign("modern"), resources=RESOURCES)
    assert b"1 0 0 rg" not in pdf_reader(default).pages[0].get_contents().get_data()


@pytest.mark.parametrize("layout", ["../klasik", "_document", "missing", "klasik.html", ""])
def test_unknown_layout_refused(layout):
    with pytest.raises(CertificateError):
        CertificateDesign(layout=layout)


def test_bad_kind_and_non_text_values_refused():
    with pytest.raises(CertificateError):
        make_context(kind="juara")
    with pytest.raises(CertificateError):
        make_context(entrant_name=object())
    with pytest.raises(CertificateError):
        make_context(extra={"Nilai": 92.4})
    assert isinstance(make_context(band=None), CertificateContext)


def test_batch_is_one_pdf_one_certificate_a_page():
    names = ["Kelurahan Cibeunying", "Kelurahan Sukajadi", "Desa Cikole"]
    ctxs = [make_context(entrant_name=n, serial=f"IKP-2023/MS/00{i}") for i, n in enumerate(names)]
    texts = page_texts(render_batch(ctxs, CertificateDesign(), resources=RESOURCES))
    assert len(texts) == 3
    for i, (name, text) in enumerate(zip(names, texts, strict=True)):
        assert name in text and f"IKP-2023/MS/00{i}" in text
        assert all(other not in text for other in names if other != name)


def test_empty_batch_refused():
    with pytest.raises(CertificateError):
        render_batch([], CertificateDesign(), resources=RESOURCES)


@pytest.mark.parametrize("workers", [1, 2])
def test_render_each_keeps_order_and_reports_progress(workers):
    names = [f"Kelurahan Nomor {i}" for i in range(5)]
    ctxs = [make_context(entrant_name=n) for n in names]
    seen = []
    pdfs = render_each(
        ctxs, CertificateDesign("modern"), resources=RESOURCES, workers=workers,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(pdfs) == 5
    for name, pdf in zip(names, pdfs, strict=True):
        (text,) = page_texts(pdf)
        assert name in text
    assert seen[-1] == (5, 5)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})


def test_render_each_reports_a_worker_failure():
    from jinja2 import TemplateNotFound

    design = CertificateDesign()
    object.__setattr__(design, "layout", "hilang")  # bypass validation: fail inside a worker
    with pytest.raises(TemplateNotFound):
        render_each([make_context()] * 3, design, resources=RESOURCES, workers=2)


def test_render_each_from_a_threaded_process_uses_a_forkserver():
    import threading

    from judging.io.certificates import pdfs as certificates

    release = threading.Event()
    helper = threading.Thread(target=release.wait)
    helper.start()
    try:
        assert certificates._mp_context().get_start_method() == "forkserver"
        names = ["Desa Cikole", "Desa Lembang", "Desa Jayagiri"]
        pdfs = render_each(
            [make_context(entrant_name=n) for n in names], CertificateDesign(),
            resources=RESOURCES, workers=2,
        )
    finally:
        release.set()
        helper.join()
    assert [name in page_texts(pdf)[0] for name, pdf in zip(names, pdfs, strict=True)] == [
        True, True, True
    ]


def test_render_each_from_a_single_threaded_process_forks(monkeypatch):
    """Other tests (the browser, live servers) may leave threads behind; pretend there are none."""
    import threading

    from judging.io.certificates import pdfs as certificates

    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert certificates._mp_context().get_start_method() == "fork"
