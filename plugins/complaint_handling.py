"""SP4N-LAPOR! complaint handling: follow-up, completion, timeliness and response speed.

Timeliness follows Permenpan RB 62/2018 (reports closed within 5 / 14 / 60 working
days by kind); a first response within 5 working days is the national target, so
response speed scores 1 at 0 days and 0 at 5 days or more.
"""

from __future__ import annotations

from judging.scoring import (
    CategorySettings,
    CohortEntry,
    Component,
    Criterion,
    Flag,
    Indicator,
    MonevScore,
    ScoringMethod,
    Text,
    hookimpl,
)

RESPONSE_TARGET_DAYS = 5.0


class ComplaintHandling(ScoringMethod):
    """monev = 100 × (0.30 f + 0.30 c + 0.25 t + 0.15 r); monev 60 %, jury 40 %."""

    key = "complaint_handling"
    label = "Pengelolaan Pengaduan (SP4N-LAPOR!)"
    label_en = "Complaint handling (SP4N-LAPOR!)"
    version = "1"
    indicators = (
        Indicator(
            "laporan_masuk",
            "Laporan Masuk",
            "Reports received",
            type="int",
            unit=Text("laporan", en="reports"),
            scale="count",
            aliases=("Jumlah Laporan Masuk", "Laporan masuk (jumlah)", "Jml Laporan Masuk"),
            guidance=Text(
                "Jumlah laporan yang masuk melalui SP4N-LAPOR! selama periode penilaian.",
                en="Reports received through SP4N-LAPOR! during the assessment period.",
            ),
        ),
        Indicator(
            "ditindaklanjuti",
            "Ditindaklanjuti",
            "Followed up",
            type="int",
            unit=Text("laporan", en="reports"),
            scale="count",
            aliases=("Laporan Ditindaklanjuti", "Jumlah Ditindaklanjuti", "Tindak Lanjut"),
            guidance=Text(
                "Laporan yang sudah ditindaklanjuti (tidak lebih dari laporan masuk).",
                en="Reports already followed up (no more than reports received).",
            ),
        ),
        Indicator(
            "selesai",
            "Selesai",
            "Completed",
            type="int",
            unit=Text("laporan", en="reports"),
            scale="count",
            aliases=("Laporan Selesai", "Jumlah Laporan Selesai", "Status Selesai"),
            guidance=Text(
                "Laporan berstatus selesai (tidak lebih dari laporan masuk).",
                en="Reports marked completed (no more than reports received).",
            ),
        ),
        Indicator(
            "selesai_tepat_waktu",
            "Selesai Tepat Waktu",
            "Completed on time",
            type="int",
            unit=Text("laporan", en="reports"),
            scale="count",
            aliases=("Laporan Selesai Tepat Waktu", "Tepat Waktu", "Selesai sesuai SLA"),
            guidance=Text(
                "Laporan selesai dalam batas 5/14/60 hari kerja (Permenpan RB 62/2018).",
                en="Reports completed within 5/14/60 working days (Permenpan RB 62/2018).",
            ),
        ),
        Indicator(
            "rata_hari_respons",
            "Rata-rata Hari Respons",
            "Average days to first response",
            type="float",
            unit=Text("hari kerja", en="working days"),
            scale="days",
            required=False,
            aliases=("Rata-rata Waktu Respons", "Rerata Hari Respons", "Waktu Respons (hari)"),
            guidance=Text(
                "Rata-rata hari kerja sampai respons pertama; kosongkan bila tidak ada laporan.",
                en="Average working days to the first response; leave empty without reports.",
            ),
        ),
    )
    criteria = (
        Criterion(
            "inovasi",
            "Inovasi pengelolaan pengaduan",
            30,
            label_en="Innovation in complaint handling",
            guidance=Text(
                "Terobosan yang mempercepat atau mempermudah penanganan laporan.",
                en="Breakthroughs that make handling reports faster or easier.",
            ),
        ),
        Criterion(
            "kualitas_tindak_lanjut",
            "Kualitas tindak lanjut",
            30,
            label_en="Quality of follow-up",
            guidance=Text(
                "Jawaban tuntas, relevan, dan dapat diverifikasi pelapor.",
                en="Answers that are complete, relevant and verifiable by the reporter.",
            ),
        ),
        Criterion(
            "sosialisasi",
            "Sosialisasi kanal pengaduan",
            20,
            label_en="Promotion of the complaint channel",
            guidance=Text(
                "Upaya memperkenalkan SP4N-LAPOR! kepada masyarakat.",
                en="Efforts to make SP4N-LAPOR! known to the public.",
            ),
        ),
        Criterion(
            "komitmen_pimpinan",
            "Komitmen pimpinan",
            20,
            label_en="Leadership commitment",
            guidance=Text(
                "Kebijakan, SK tim, dan keterlibatan pimpinan.",
                en="Policies, the team's decree and the leaders' involvement.",
            ),
        ),
    )
    components = (
        Component("monev", "Monev SP4N-LAPOR!", "SP4N-LAPOR! monitoring", 60),
        Component("jury", "Penilaian juri", "Jury assessment", 40, jury=True),
    )
    subscore_labels = {
        "follow_up": Text("Tindak lanjut", en="Follow-up"),
        "completion": Text("Penyelesaian", en="Completion"),
        "on_time": Text("Ketepatan waktu", en="Timeliness"),
        "response": Text("Kecepatan respons", en="Response speed"),
    }
    flags = (
        Flag("no_complaints", "Tidak ada pengaduan", "No complaints"),
        Flag("no_response_time", "Waktu tindak lanjut kosong", "No follow-up time"),
    )

    def cross_check(self, values):
        """Follow-ups and completions cannot exceed reports; on-time cannot exceed completed."""
        return (
            self.not_more_than(values, "ditindaklanjuti", "laporan_masuk")
            + self.not_more_than(values, "selesai", "laporan_masuk")
            + self.not_more_than(values, "selesai_tepat_waktu", "selesai")
        )

    def cross_check_rows(self, columns):
        """The same rules over whole columns: the rows breaking any of them."""
        import numpy as np

        return np.union1d(np.union1d(
            self.rows_more_than(columns, "ditindaklanjuti", "laporan_masuk"),
            self.rows_more_than(columns, "selesai", "laporan_masuk")),
            self.rows_more_than(columns, "selesai_tepat_waktu", "selesai"))

    def score(self, cohort: list[CohortEntry], settings: CategorySettings):
        """Every entry on its own numbers; no complaints at all gives monev 0 and a flag."""
        return {e.entry_id: self._one(e.indicators) for e in cohort}

    def _one(self, v: dict) -> MonevScore:
        masuk = v.get("laporan_masuk") or 0
        if masuk <= 0:
            subs = dict.fromkeys(("follow_up", "completion", "on_time", "response"), 0.0)
            return MonevScore({"monev": 0.0}, subs, flags=("no_complaints",))
        selesai = v.get("selesai") or 0
        f = min(1.0, (v.get("ditindaklanjuti") or 0) / masuk)
        c = min(1.0, selesai / masuk)
        t = min(1.0, (v.get("selesai_tepat_waktu") or 0) / selesai) if selesai else 0.0
        days = v.get("rata_hari_respons")
        r = 0.0 if days is None else (RESPONSE_TARGET_DAYS - days) / RESPONSE_TARGET_DAYS
        r = min(1.0, max(0.0, r))
        monev = 100 * (0.30 * f + 0.30 * c + 0.25 * t + 0.15 * r)
        subs = {
            "follow_up": 100 * f,
            "completion": 100 * c,
            "on_time": 100 * t,
            "response": 100 * r,
        }
        flags = ("no_response_time",) if days is None else ()
        return MonevScore({"monev": monev}, subs, flags=flags)


@hookimpl(trylast=True)
def judging_scoring_methods():
    """The built-in SP4N-LAPOR! method."""
    return [ComplaintHandling]
