"""Social-media management, the FAIR method of the Humas Jabar Awards.

Followers, Activity and Interaction are relative to the best account in the same
category (a kelurahan is compared with kelurahan), Responsive is absolute.
"""

from __future__ import annotations

import math

from judging.scoring import (
    CategorySettings,
    CohortEntry,
    Component,
    Criterion,
    Indicator,
    MonevScore,
    ScoringMethod,
    Text,
    hookimpl,
)


def _share(value: float, best: float) -> float:
    """value ÷ cohort best, 0 when the whole cohort has nothing."""
    return value / best if best > 0 else 0.0


class SocialMedia(ScoringMethod):
    """monev = 100 × (F + A + I + R) ÷ 4 within the cohort; monev 50 %, jury 50 %."""

    key = "social_media"
    label = "Pengelolaan Media Sosial (FAIR)"
    label_en = "Social media management (FAIR)"
    version = "1"
    indicators = (
        Indicator(
            "pengikut_awal",
            "Pengikut Awal",
            "Followers at start",
            type="int",
            scale="count",
            unit=Text("akun", en="accounts"),
            aliases=("Jumlah Pengikut Awal", "Followers Awal", "Pengikut awal periode"),
            guidance=Text(
                "Jumlah pengikut pada awal periode penilaian.",
                en="Followers at the start of the assessment period.",
            ),
        ),
        Indicator(
            "pengikut_akhir",
            "Pengikut Akhir",
            "Followers at end",
            type="int",
            scale="count",
            unit=Text("akun", en="accounts"),
            aliases=("Jumlah Pengikut Akhir", "Followers Akhir", "Pengikut akhir periode"),
            guidance=Text(
                "Jumlah pengikut pada akhir periode penilaian.",
                en="Followers at the end of the assessment period.",
            ),
        ),
        Indicator(
            "unggahan",
            "Jumlah Unggahan",
            "Posts",
            type="int",
            scale="count",
            unit=Text("unggahan", en="posts"),
            aliases=("Unggahan", "Jumlah Postingan", "Postingan", "Jumlah Konten"),
            guidance=Text(
                "Unggahan selama periode penilaian.",
                en="Posts during the assessment period.",
            ),
        ),
        Indicator(
            "interaksi",
            "Jumlah Interaksi",
            "Interactions",
            type="int",
            scale="count",
            unit=Text("interaksi", en="interactions"),
            aliases=("Interaksi", "Total Interaksi", "Engagement"),
            guidance=Text(
                "Suka, komentar, bagikan, dan simpan selama periode penilaian.",
                en="Likes, comments, shares and saves during the assessment period.",
            ),
        ),
        Indicator(
            "komentar_masuk",
            "Komentar Masuk",
            "Comments received",
            type="int",
            scale="count",
            unit=Text("komentar", en="comments"),
            aliases=("Jumlah Komentar Masuk", "Komentar/Pertanyaan Masuk"),
            guidance=Text(
                "Komentar atau pertanyaan warganet yang perlu dijawab.",
                en="Comments or questions from the public that need an answer.",
            ),
        ),
        Indicator(
            "komentar_dibalas",
            "Komentar Dibalas",
            "Comments answered",
            type="int",
            scale="count",
            unit=Text("komentar", en="comments"),
            aliases=("Jumlah Komentar Dibalas", "Komentar Direspons"),
            guidance=Text(
                "Komentar yang dibalas oleh admin (tidak lebih dari komentar masuk).",
                en="Comments answered by the admin (no more than comments received).",
            ),
        ),
    )
    criteria = (
        Criterion(
            "informatif",
            "Informatif",
            25,
            label_en="Informative",
            guidance=Text(
                "Konten memuat informasi publik yang akurat dan mutakhir.",
                en="Content carries accurate, up-to-date public information.",
            ),
        ),
        Criterion(
            "komunikatif",
            "Komunikatif",
            25,
            label_en="Communicative",
            guidance=Text(
                "Bahasa dan visual mudah dipahami, ada dialog dengan warganet.",
                en="Language and visuals are easy to understand, with dialogue with the public.",
            ),
        ),
        Criterion(
            "edukatif",
            "Edukatif",
            25,
            label_en="Educational",
            guidance=Text(
                "Konten menambah pengetahuan atau mengajak berperilaku baik.",
                en="Content adds knowledge or encourages good conduct.",
            ),
        ),
        Criterion(
            "kreativitas_etika",
            "Kreativitas dan etika konten",
            25,
            label_en="Creativity and content ethics",
            guidance=Text(
                "Orisinal, menarik, dan patuh etika serta hak cipta.",
                en="Original, engaging, and respectful of ethics and copyright.",
            ),
        ),
    )
    components = (
        Component("monev", "Monev FAIR", "FAIR monitoring", 50),
        Component("jury", "Penilaian juri", "Jury assessment", 50, jury=True),
    )

    subscore_labels = {
        "followers": Text("Pengikut (F)", en="Followers (F)"),
        "activity": Text("Aktivitas (A)", en="Activity (A)"),
        "interaction": Text("Interaksi (I)", en="Interaction (I)"),
        "responsive": Text("Responsif (R)", en="Responsive (R)"),
    }

    def cross_check(self, values):
        """Answered comments cannot exceed comments received."""
        return self.not_more_than(values, "komentar_dibalas", "komentar_masuk")

    def cross_check_rows(self, columns):
        """The same rule over whole columns."""
        return self.rows_more_than(columns, "komentar_dibalas", "komentar_masuk")

    def score(self, cohort: list[CohortEntry], settings: CategorySettings):
        """FAIR sub-scores, F, A and I against the cohort's best."""
        raw = {e.entry_id: _raw(e.indicators) for e in cohort}
        best = {
            k: max((r[k] for r in raw.values()), default=0.0)
            for k in ("reach", "growth", "posts", "er")
        }
        return {entry_id: _fair(r, best) for entry_id, r in raw.items()}


def _raw(v: dict) -> dict[str, float]:
    awal, akhir = v.get("pengikut_awal") or 0, v.get("pengikut_akhir") or 0
    posts, masuk = v.get("unggahan") or 0, v.get("komentar_masuk") or 0
    return {
        "reach": math.log10(1 + akhir),
        "growth": max(0.0, (akhir - awal) / max(awal, 1)),
        "posts": float(posts),
        "er": (v.get("interaksi") or 0) / (max(posts, 1) * max(akhir, 1)),
        "responsive": min(1.0, (v.get("komentar_dibalas") or 0) / masuk) if masuk else 0.0,
    }


def _fair(r: dict[str, float], best: dict[str, float]) -> MonevScore:
    f = 0.5 * _share(r["reach"], best["reach"]) + 0.5 * _share(r["growth"], best["growth"])
    a = _share(r["posts"], best["posts"])
    i = _share(r["er"], best["er"])
    subs = {
        "followers": 100 * f,
        "activity": 100 * a,
        "interaction": 100 * i,
        "responsive": 100 * r["responsive"],
    }
    return MonevScore({"monev": 100 * (f + a + i + r["responsive"]) / 4}, subs)


@hookimpl(trylast=True)
def judging_scoring_methods():
    """The built-in FAIR social-media method."""
    return [SocialMedia]
