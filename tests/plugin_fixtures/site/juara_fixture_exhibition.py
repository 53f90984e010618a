"""A scoring method that exists only in the tests: a stand exhibition contest.

Installed (as far as ``importlib.metadata`` can tell) through the entry-point group
``judging``, so the tests drive a method the application has never seen. Its texts come
in both languages the way a third-party package gives them: ``label_en`` pairs and ``Text``;
the "%" unit stays a plain string, shown as it is in either language.
"""

from __future__ import annotations

from decimal import Decimal

from judging.scoring import (
    Band,
    Component,
    Criterion,
    Indicator,
    MonevScore,
    ScoringMethod,
    Text,
    hookimpl,
)


class Exhibition(ScoringMethod):
    """monev = 50 × visitors ÷ cohort max + 50 × satisfaction ÷ 100; gate satisfaction ≥ 50."""

    key = "exhibition"
    label = "Lomba Stan Pameran"
    label_en = "Stand exhibition contest"
    version = "1.0"
    indicators = (
        Indicator(
            "pengunjung",
            "Jumlah Pengunjung",
            "Visitors",
            type="int",
            unit=Text("orang", en="visitors"),
            aliases=("Pengunjung",),
            guidance=Text("Pengunjung di buku tamu.", en="Visitors in the guest book."),
        ),
        Indicator(
            "kepuasan",
            "Indeks Kepuasan",
            "Satisfaction",
            type="percent",
            unit="%",
            max=100,
            aliases=("Kepuasan Pengunjung (%)",),
        ),
    )
    criteria = (
        Criterion("desain", "Desain stan", 60, max_mark=10, label_en="Stand design",
                  guidance=Text("Tata letak dan kerapian stan.", en="Layout and tidiness.")),
        Criterion(
            "penyajian",
            "Penyajian informasi",
            40,
            max_mark=10,
            label_en="Presentation of information",
        ),
    )
    components = (
        Component("monev", "Data pameran", "Exhibition data", 30),
        Component("jury", "Penilaian juri", "Jury assessment", 70, jury=True),
    )
    default_thresholds = {"min_kepuasan": 50.0}
    threshold_labels = {"min_kepuasan": Text("Kepuasan minimum", en="Minimum satisfaction")}
    bands = (
        Band("Istimewa", "Outstanding", Decimal("85")),
        Band("Baik", "Good", Decimal("70")),
    )

    def score(self, cohort, settings):
        """Visitors against the cohort's busiest stand, satisfaction as it is."""
        gate = self.threshold(settings, "min_kepuasan")
        busiest = max((e.indicators["pengunjung"] for e in cohort), default=0)
        out = {}
        for e in cohort:
            visitors = e.indicators["pengunjung"] / busiest if busiest else 0.0
            happy = e.indicators["kepuasan"]
            out[e.entry_id] = MonevScore(
                {"monev": 50 * visitors + 50 * happy / 100},
                {"visitors": 100 * visitors, "satisfaction": happy},
                advanced=happy >= gate,
            )
        return out


@hookimpl
def judging_scoring_methods():
    """The exhibition method."""
    return [Exhibition]
