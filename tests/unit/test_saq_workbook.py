"""The SAQ Excel template: written and read back unchanged; bad rows reported, not guessed."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from judging.io.saq.workbook import HEADERS, SaqRow, read_saq_workbook, write_saq_workbook
from judging.io.xlsx.safety import WorkbookRefused
from judging.refusals import Refused
from judging.saq.links import check_link, is_local_host

ROWS = [
    SaqRow("berkala", "Informasi berkala", "1.1", "Ada DIP?", 2.0, "yes_no", (), None, "file",
           "Unggah SK DIP"),
    SaqRow("berkala", "Informasi berkala", "1.2", "Kelengkapan", 3.0, "choice",
           (("Tidak ada", 0.0), ("Sebagian", 50.0), ("Lengkap", 100.0)), None, "either", ""),
    SaqRow("ppid", "Komitmen PPID", "2.1", "Pelatihan", 1.5, "number", (), 4.0, "url", ""),
    SaqRow("ppid", "Komitmen PPID", "2.2", "=1+1 formula-looking text", 1.0, "text", (), None,
           "none", ""),
]


def test_round_trip():
    rows, problems = read_saq_workbook(write_saq_workbook("SAQ 2026", ROWS))
    assert problems == []
    assert rows == ROWS


def _sheet(*data_rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in data_rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_bad_rows_are_listed_with_their_row_numbers():
    data = _sheet(
        ("g", "G", "1", "Ok", 1, "ya/tidak", "", "", "berkas", ""),
        ("g", "G", "2", "Bobot nol", 0, "ya/tidak", "", "", "", ""),
        ("g", "G", "3", "Jenis aneh", 1, "bintang", "", "", "", ""),
        ("g", "G", "4", "Pilihan rusak", 1, "pilihan", "Ada=200", "", "", ""),
        ("g", "G", "5", "Angka tanpa target", 1, "angka", "", "", "", ""),
        ("g", "G", "1", "Kode ganda", 1, "teks", "", "", "", ""),
    )
    rows, problems = read_saq_workbook(data)
    assert [r.key for r in rows] == ["1"]
    assert [p.row for p in problems] == [3, 4, 5, 6, 7]
    assert "Bobot" in problems[0].message_id and "weight" in problems[0].message_en


def test_not_a_template_or_not_a_workbook():
    workbook = Workbook()
    workbook.active.append(("Nama", "Nilai"))
    out = BytesIO()
    workbook.save(out)
    with pytest.raises(WorkbookRefused):
        read_saq_workbook(out.getvalue())
    with pytest.raises(WorkbookRefused):
        read_saq_workbook(b"%PDF-1.4 not a workbook")


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.0.8", "192.168.1.1", "172.16.5.4",
                                  "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1",
                                  "0.0.0.0", "127.1", "0x7f000001", "2130706433", "localhost",
                                  "api.localhost", "nas.local", "server", "db.internal"])
def test_local_hosts(host):
    assert is_local_host(host)


@pytest.mark.parametrize("host", ["ppid.jakarta.go.id", "8.8.8.8", "2001:4860:4860::8888",
                                  "komisiinformasi.go.id"])
def test_public_hosts(host):
    assert not is_local_host(host)


def test_links_https_only_without_credentials():
    assert check_link("  https://ppid.jakarta.go.id/dip  ") == "https://ppid.jakarta.go.id/dip"
    for bad in ("http://ppid.jakarta.go.id/", "https://user:pw@ppid.jakarta.go.id/",
                "https://ppid.jakarta.go.id:99999/", "ftp://ppid.jakarta.go.id", "",
                "https://ppid.jakarta.go.id/\u200bx"):
        with pytest.raises(Refused):
            check_link(bad)
