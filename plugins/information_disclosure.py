"""Komisi Informasi monev of public information disclosure (PerKI 1/2022 style).

SAQ (self-assessment questionnaire) → website verification → presentation. Only
public bodies whose SAQ reaches the gate (65 by default) present to the jury; the
others keep their SAQ and website scores with presentation 0.
"""

from __future__ import annotations

from decimal import Decimal

from judging.scoring import (
    Band,
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


class InformationDisclosure(ScoringMethod):
    """website 30 % + SAQ 40 % + presentation 30 %, gate SAQ ≥ 65, KIP bands."""

    key = "information_disclosure"
    label = "Monev Keterbukaan Informasi Publik"
    label_en = "Public information disclosure monitoring"
    version = "1"
    indicators = (
        Indicator(
            "nilai_saq",
            "Nilai SAQ",
            "SAQ score",
            type="float",
            unit=Text("poin", en="points"),
            scale="score",
            max=100,
            aliases=(
                "NILAI S.A.Q.",
                "Skor SAQ",
                "Nilai Self Assessment Questionnaire",
                "Nilai Kuesioner SAQ",
            ),
            guidance=Text(
                "Nilai kuesioner penilaian mandiri (SAQ) hasil verifikasi, 0–100.",
                en="Verified self-assessment questionnaire (SAQ) score, 0–100.",
            ),
        ),
        Indicator(
            "nilai_website",
            "Nilai Website",
            "Website verification score",
            type="float",
            unit=Text("poin", en="points"),
            scale="score",
            max=100,
            aliases=(
                "Nilai Verifikasi Website",
                "Skor Website",
                "Nilai Visitasi Website",
                "NILAI WEB",
            ),
            guidance=Text(
                "Nilai verifikasi situs web PPID, 0–100.",
                en="PPID website verification score, 0–100.",
            ),
        ),
    )
    criteria = (
        Criterion(
            "komitmen_organisasi",
            "Komitmen organisasi",
            25,
            label_en="Organisational commitment",
            guidance=Text(
                "Dukungan pimpinan, anggaran, dan SDM PPID.",
                en="Leadership support, budget and PPID staff.",
            ),
        ),
        Criterion(
            "inovasi",
            "Inovasi",
            25,
            label_en="Innovation",
            guidance=Text(
                "Cara baru melayani permohonan dan menyebarkan informasi publik.",
                en="New ways of serving requests and spreading public information.",
            ),
        ),
        Criterion(
            "kebermanfaatan",
            "Kebermanfaatan",
            25,
            label_en="Usefulness",
            guidance=Text(
                "Manfaat keterbukaan informasi yang dirasakan masyarakat.",
                en="Benefits of information disclosure felt by the public.",
            ),
        ),
        Criterion(
            "penguasaan_materi",
            "Penguasaan materi",
            25,
            label_en="Command of the subject",
            guidance=Text(
                "Ketepatan dan kedalaman jawaban saat presentasi.",
                en="Accuracy and depth of answers in the presentation.",
            ),
        ),
    )
    components = (
        Component("website", "Verifikasi website", "Website verification", 30),
        Component("saq", "Nilai SAQ", "SAQ score", 40),
        Component("presentation", "Presentasi", "Presentation", 30, jury=True),
    )
    default_thresholds = {"gate_saq": 65.0}
    threshold_labels = {
        "gate_saq": ("Nilai SAQ minimum untuk lanjut", "Minimum SAQ score to advance"),
    }
    bands = (
        Band("Informatif", "Informative", Decimal("90")),
        Band("Menuju Informatif", "Approaching informative", Decimal("80")),
        Band("Cukup Informatif", "Fairly informative", Decimal("60")),
        Band("Kurang Informatif", "Less informative", Decimal("40")),
        Band("Tidak Informatif", "Not informative", Decimal("0")),
    )
    flags = (
        Flag("missing_indicators", "Data monev belum lengkap", "Monev data incomplete"),
        Flag("not_advanced", "Tidak lolos tahap", "Not advanced past the gate"),
    )

    def score(self, cohort: list[CohortEntry], settings: CategorySettings):
        """SAQ and website as given; the SAQ gate decides who presents."""
        gate = self.threshold(settings, "gate_saq")
        return {e.entry_id: self._one(e.indicators, gate) for e in cohort}

    def _one(self, v: dict, gate: float) -> MonevScore:
        saq, web = v.get("nilai_saq"), v.get("nilai_website")
        flags = ("missing_indicators",) if saq is None or web is None else ()
        saq, web = float(saq or 0), float(web or 0)
        advanced = saq >= gate
        if not advanced:
            flags += ("not_advanced",)
        return MonevScore(
            {"website": web, "saq": saq},
            {"saq": saq, "website": web},
            advanced=advanced,
            flags=flags,
        )


@hookimpl(trylast=True)
def judging_scoring_methods():
    """The built-in Komisi Informasi method."""
    return [InformationDisclosure]
