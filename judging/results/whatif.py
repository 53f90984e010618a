"""What-if rankings of a category from its current marks: read-only, nothing stored."""

from __future__ import annotations

from dataclasses import dataclass

from judging.models import Category
from judging.results.inputs import category_inputs
from judging.scoring.whatif import WhatIf, what_if


@dataclass(frozen=True)
class CategoryWhatIf:
    """A category's what-if ranking with the entrant code of every entry."""

    category: Category
    result: WhatIf
    entrant_codes: dict[int, str]


def category_what_if(category: Category) -> CategoryWhatIf:
    """Rank the category under every jury aggregation. Raises ValueError as the ranking does."""
    try:
        inputs = category_inputs(category)
    except KeyError as missing:  # the category's scoring method is not installed
        raise ValueError(f"{category.name}: {missing.args[0]}") from missing
    try:
        result = what_if(inputs.method, inputs.settings, inputs.cohort, inputs.criteria,
                         inputs.marks, inputs.conflicts)
    except ValueError as problem:
        raise ValueError(f"{category.name}: {problem}") from problem
    codes = {i: e.entrant_code for i, e in inputs.entries.items()}
    return CategoryWhatIf(category, result, codes)


def stability_note(result: WhatIf) -> tuple[str, str]:
    """The one-line verdict a jury chair reads first, in Indonesian and English."""
    n = result.checked_places
    if not result.lines:
        return "Belum ada entri untuk dibandingkan.", "No entries to compare yet."
    span = "1" if n == 1 else f"1–{n}"
    if result.stable:
        return (f"Peringkat {span} sama di semua metode.",
                f"Places {span} are the same under every method.")
    if result.stable_places == 0:
        return ("Peringkat 1 berbeda antar metode: periksa juri yang menilai jauh berbeda.",
                "First place differs between methods: look at the juror who scores apart.")
    k = result.stable_places
    kept = "1" if k == 1 else f"1–{k}"
    return (f"Hanya peringkat {kept} sama di semua metode; peringkat {k + 1} berubah.",
            f"Only places {kept} are the same under every method; place {k + 1} changes.")


def trimmed_note(result: WhatIf) -> tuple[str, str] | None:
    """Say plainly when the trimmed mean cannot differ from the mean (fewer than 4 jurors)."""
    if result.trimmed_is_mean:
        return ("Dengan kurang dari 4 juri per entri, rata-rata terpangkas sama dengan "
                "rata-rata: tidak ada nilai yang dibuang.",
                "With fewer than 4 jurors per entry the trimmed mean equals the mean: "
                "no score is dropped.")
    if result.short_of_trim:
        return (f"{result.short_of_trim} entri punya kurang dari 4 juri; untuk entri itu "
                "rata-rata terpangkas sama dengan rata-rata.",
                f"{result.short_of_trim} entries have fewer than 4 jurors; for them the "
                "trimmed mean equals the mean.")
    return None


def whatif_sheet(categories) -> tuple[str, list[str], list[list]]:
    """The export's "Bagaimana jika" sheet: every category's entries under every variant.

    Categories that cannot be ranked are left out (their own sheet already says why).
    """
    views = []
    for category in categories:
        try:
            views.append(category_what_if(category))
        except ValueError:
            continue
    variants = views[0].result.variants if views else ()
    headers = (["Kategori", "Kode peserta", "Peserta"] + [v.label for v in variants]
               + [f"Nilai {v.label}" for v in variants] + ["Berubah", "Catatan"])
    rows = []
    for view in views:
        note = stability_note(view.result)[0]
        trimmed = trimmed_note(view.result)
        for n, line in enumerate(view.result.lines):
            rows.append([view.category.name, view.entrant_codes.get(line.entry_id, ""),
                         line.name, *(line.ranks[v.key] for v in variants),
                         *(line.totals[v.key] for v in variants),
                         "ya" if line.changed else "",
                         " ".join([note] + ([trimmed[0]] if trimmed else [])) if n == 0 else ""])
    return "Bagaimana jika (metode)", headers, rows
