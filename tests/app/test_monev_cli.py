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
