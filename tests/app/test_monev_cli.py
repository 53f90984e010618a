"""``flask import-monev``: preview by default, exit codes, all-or-nothing, skip-invalid."""

from __future__ import annotations

import pytest

from tests.app.monev_world import BAD_ROW, GOOD_ROWS, World, fingerprint, stored_values, workbook


@pytest.fixture
def world(make):
    return World(make)


def run(runner, world, tmp_path, rows_or_bytes, *flags, category=None):
    path = tmp_path / "monev.xlsx"
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else workbook(rows_or_bytes)
    path.write_bytes(data)
    target = category or str(world.category.id)
    return runner.invoke(args=["import-monev", target, str(path), *flags])


def test_preview_only_prints_and_stores_nothing(runner, world, tmp_path):
    before = fingerprint()
    result = run(runner, world, tmp_path, [*GOOD_ROWS, BAD_ROW])
    assert result.exit_code == 1
    assert "Baris dibaca: 3; cocok: 2; ditolak: 1." in result.output
    assert "DITOLAK Baris 6, kolom 'Selesai': 'Selesai' (120)" in result.output
    assert result.output.count("Baris 6") == 1  # the location is said once
    assert "tidak ada yang disimpan" in result.output
    assert fingerprint() == before


def test_clean_file_previews_with_exit_zero_and_commits(runner, world, tmp_path):
    assert run(runner, world, tmp_path, GOOD_ROWS).exit_code == 0
    result = run(runner, world, tmp_path, GOOD_ROWS, "--commit",
                 category=f"{world.competition.code}/LAPOR")
    assert result.exit_code == 0, result.output
    assert "10 nilai diubah" in result.output
    assert stored_values(world)[("KEL-001", "selesai")] == "80.0000"
    again = run(runner, world, tmp_path,
                [["KEL-001", "Kelurahan Lebak Siliwangi", 100, 90, 85, 70, 2.5]])
    assert "KEL-001 selesai: 80 → 85" in again.output


def test_commit_with_rejected_rows_is_all_or_nothing(runner, world, tmp_path):
    before = fingerprint()
    result = run(runner, world, tmp_path, [*GOOD_ROWS, BAD_ROW], "--commit")
    assert result.exit_code == 1
    assert "1 baris ditolak" in result.output
    assert fingerprint() == before
    skipped = run(runner, world, tmp_path, [*GOOD_ROWS, BAD_ROW], "--commit", "--skip-invalid")
    assert skipped.exit_code == 0, skipped.output
    assert len(stored_values(world)) == 10


def test_refused_file_and_unknown_category(runner, world, tmp_path):
    before = fingerprint()
    result = run(runner, world, tmp_path, b"%PDF-1.7\n", "--commit")
    assert result.exit_code == 1 and "bukan buku kerja Excel" in result.output
    missing = run(runner, world, tmp_path, GOOD_ROWS, category="NOPE")
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output
    assert fingerprint() == before


UNFAMILIAR_HEADER = ["Kode", "Nama", "Laporan Masuk", "Ditindaklanjuti", "Selesai",
                     "Selesai Tepat Waktu", "Rerata Waktu Respon (hari)"]


def test_map_confirms_a_proposed_header_from_the_command_line(runner, world, tmp_path):
    data = workbook(GOOD_ROWS, header=UNFAMILIAR_HEADER)
    shown = run(runner, world, tmp_path, data, "--commit")
    assert shown.exit_code == 0, shown.output  # stored, but without the unconfirmed column
    assert ("'Rerata Waktu Respon (hari)' → diabaikan; mirip 'Rata-rata Hari Respons'"
            in shown.output)
    assert '--map "Rerata Waktu Respon (hari)=rata_hari_respons"' in shown.output
    assert ("KEL-001", "rata_hari_respons") not in stored_values(world)
    mapped = run(runner, world, tmp_path, data, "--commit",
                 "--map", "Rerata Waktu Respon (hari)=rata_hari_respons")
    assert mapped.exit_code == 0, mapped.output
    assert "→ Rata-rata Hari Respons (dipetakan dengan --map)" in mapped.output
    assert stored_values(world)[("KEL-002", "rata_hari_respons")] == "3.2500"
    again = run(runner, world, tmp_path, data)  # remembered for the category
    assert "(pemetaan tersimpan kategori ini)" in again.output
    wrong = run(runner, world, tmp_path, data, "--map", "Rerata=nope")
    assert wrong.exit_code != 0 and "indikator 'nope' tidak dikenal" in wrong.output


def test_messages_name_skip_invalid_in_english_once(runner, world, tmp_path):
    result = run(runner, world, tmp_path, [*GOOD_ROWS, BAD_ROW], "--commit", "--lang", "en")
    assert result.exit_code == 1
    assert "add --skip-invalid to store only the valid rows" in result.output
    assert "tick" not in result.output and "Baris" not in result.output
    assert result.output.count("Row 6, column 'Selesai'") == 1


def test_a_file_whose_rows_were_all_rejected_commits_no_empty_batch(runner, world, tmp_path):
    before = fingerprint()
    result = run(runner, world, tmp_path, [BAD_ROW], "--commit", "--skip-invalid")
    assert result.exit_code == 1
    assert "Tidak ada nilai baru atau berubah untuk disimpan" in result.output
    assert fingerprint() == before


def test_long_missing_lists_are_summarised_and_written_to_a_report(runner, world, tmp_path,
                                                                   make):
    for n in range(30):
        make.entry(world.category, make.entrant(world.organisation, code=f"X-{n:03d}",
                                                name=f"Desa {n}"))
    make.commit()
    report = tmp_path / "missing.csv"
    result = run(runner, world, tmp_path, GOOD_ROWS, "--missing-report", str(report))
    assert "Peserta tanpa baris (31): KEL-003, X-000" in result.output
    assert "X-025" not in result.output
    assert f"Daftar lengkap ditulis ke {report}" in result.output
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kode,nama" and len(lines) == 32 and "X-029,Desa 29" in lines
    plain = run(runner, world, tmp_path, GOOD_ROWS)
    assert "… dan 11 lainnya; daftar lengkap: --missing-report BERKAS.csv" in plain.output
