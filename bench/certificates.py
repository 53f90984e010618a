"""Certificate speed: the app's path against bare WeasyPrint on the same HTML, one run.

Prints, per certificate: bare ``weasyprint.HTML(string=html).write_pdf()``, the app's
``render_each`` in one process (template + QR + allowlisted fetcher included) and with
two workers, then the ratio app/bare (target ≤ 1.3) and the two-worker speed-up
(target ≈ 2 on two cores). Two scenarios: no images (byte-identical HTML for both) and
with a logo and signature images (bare gets the same HTML with the images inlined as
data: URIs, since it has no allowlisted fetcher).

    .venv/bin/python bench/certificates.py [-n 200]
"""

from __future__ import annotations

import argparse
import base64
import io
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import weasyprint  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from judging.io.certificates import render as cert_render  # noqa: E402
from judging.io.certificates.pdfs import (  # noqa: E402
    CertificateContext,
    CertificateDesign,
    Signatory,
    render_each,
)


def png(size, draw) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


RESOURCES = {
    "logo.png": png((300, 300), lambda d: d.ellipse((10, 10, 290, 290), fill=(11, 79, 108))),
    "ttd.png": png((400, 120), lambda d: d.line([(10, 90), (150, 20), (390, 80)], "navy", 6)),
}


def contexts(count: int, images: bool) -> list[CertificateContext]:
    """``count`` distinct, realistic winner certificates."""
    image = "ttd.png" if images else None
    people = [
        Signatory("Dr. H. Ahmad Fauzi, M.Si.", "Kepala Dinas Komunikasi dan Informatika", image),
        Signatory("Siti Rahmawati, S.Sos.", "Ketua Dewan Juri", image),
        Signatory("Budi Santoso", "Sekretaris Panitia", None),
    ]
    return [
        CertificateContext(
            serial=f"IKP-2023/MS/{i:03d}",
            verification_code=f"K7Q4-{i:04d}-2PLA",
            verify_url=f"https://juara.example.go.id/verifikasi/K7Q4{i:04d}2PLA",
            organiser_name="Dinas Komunikasi dan Informatika Provinsi Jawa Barat",
            organiser_logo="logo.png" if images else None,
            competition_name="Piala Humas Jabar 2023",
            category_name="Pengelolaan Media Sosial Kabupaten/Kota",
            entrant_name=f"Kelurahan Sukamaju Nomor {i}",
            award=["Peringkat Pertama", "Peringkat Kedua", "Peringkat Ketiga"][i % 3],
            band="Sangat Baik",
            kind="winner",
            place="Bandung",
            date_text="12 Desember 2023",
            signatories=people,
            extra={"Nilai akhir": f"{90 - i / 10:.1f}"},
        )
        for i in range(count)
    ]


def inline_resources(html: str) -> str:
    """The same HTML with each ``resource:NAME`` replaced by a data: URI of its bytes."""
    for name, data in RESOURCES.items():
        uri = "data:image/png;base64," + base64.b64encode(data).decode()
        html = html.replace(f"resource:{name}", uri)
    return html


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def scenario(count: int, images: bool, design: CertificateDesign) -> None:
    ctxs = contexts(count, images)
    htmls = [inline_resources(cert_render.document_html([c], design)) for c in ctxs]
    weasyprint.HTML(string=htmls[0]).write_pdf()  # warm both paths: fonts, caches
    render_each(ctxs[:1], design, resources=RESOURCES, workers=1)

    bare = timed(lambda: [weasyprint.HTML(string=h).write_pdf() for h in htmls]) / count
    one = timed(lambda: render_each(ctxs, design, resources=RESOURCES, workers=1)) / count
    two = timed(lambda: render_each(ctxs, design, resources=RESOURCES, workers=2)) / count

    label = "with logo + signatures" if images else "no images (identical HTML)"
    print(f"\n{count} certificates, layout {design.layout}, {label}")
    print(f"  bare WeasyPrint, 1 process : {bare * 1000:7.1f} ms/certificate")
    print(f"  app render_each, 1 worker  : {one * 1000:7.1f} ms/certificate")
    print(f"  app render_each, 2 workers : {two * 1000:7.1f} ms/certificate (pool start included)")
    print(f"  ratio app/bare (1 process) : {one / bare:5.2f}x   target <= 1.3")
    print(f"  speed-up 2 workers vs 1    : {one / two:5.2f}x   target ~ 2")
    print(f"  load average (1 min) after : {os.getloadavg()[0]:.2f} (above ~2 = host shared)")


def spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_scaling(n: int = 10_000_000) -> float:
    """How much two processes gain over one on a pure-CPU loop: the ceiling on this host."""
    one = timed(lambda: [spin(n), spin(n)])
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(spin, [1, 1]))
        two = timed(lambda: list(pool.map(spin, [n, n])))
    return one / two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=200)
    parser.add_argument("--layout", default="klasik")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    print(f"harfbuzz-subset available: {cert_render.harfbuzz_subset_available()}")
    print(f"host check: 2 processes vs 1 on a pure-CPU loop: {machine_scaling():.2f}x")
    design = CertificateDesign(layout=args.layout)
    for images in (False, True):
        scenario(args.count, images, design)


if __name__ == "__main__":
    main()
