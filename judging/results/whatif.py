"""What-if rankings of a category from its current marks: read-only, nothing stored."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import select

from judging.extensions import db
from judging.i18n import pick
from judging.marking.progress import assigned_jurors
from judging.models import Category, Entry
from judging.refusals import both
from judging.results.inputs import category_inputs
from judging.scoring.plugins import UnknownMethod
from judging.scoring.whatif import TRIM_FROM, WhatIf, what_if


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
    except UnknownMethod as missing:  # the category's scoring method is not installed
        said = missing.args[0]
        raise ValueError(f"{category.name}: {both(said.message_id, said.message_en)}") from missing
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


def whatif_sheet(categories, words) -> tuple[str, list[str], list[list]]:
    """The export's "Bagaimana jika" sheet: every category's entries under every variant.

    Categories that cannot be ranked are left out (their own sheet already says why).
    ``words`` (``io.xlsx.words.Words``) speak the reader's language; notes follow ``pick``.
    """
    views = []
    for category in categories:
        try:
            views.append(category_what_if(category))
        except ValueError:
            continue
    variants = views[0].result.variants if views else ()
    names = [pick(v.label, v.label_en) for v in variants]
    headers = ([words("Kategori"), words("Kode peserta"), words("Peserta")] + names
               + [words("Nilai %(method)s", method=name) for name in names]
               + [words("Berubah"), words("Catatan")])
    changed = words("ya")
    rows = []
    for view in views:
        note = pick(*stability_note(view.result))
        trimmed = trimmed_note(view.result)
        for n, line in enumerate(view.result.lines):
            rows.append([view.category.name, view.entrant_codes.get(line.entry_id, ""),
                         line.name, *(line.ranks[v.key] for v in variants),
                         *(line.totals[v.key] for v in variants),
                         changed if line.changed else "",
                         " ".join([note] + ([pick(*trimmed)] if trimmed else [])) if n == 0
                         else ""])
    return words("Bagaimana jika (metode)"), headers, rows


def jurors_per_entry(category: Category) -> int:
    """The most jurors any entry of the category has (assigned, conflicts removed)."""
    entries = list(db.session.scalars(select(Entry).where(
        Entry.category_id == category.id, Entry.status != "withdrawn")))
    if not entries:  # no entries yet: the jurors assigned to the whole category
        entries = [SimpleNamespace(id=0, category_id=category.id)]
    counts = assigned_jurors(category.competition, entries)
    return max((len(jurors) for jurors in counts.values()), default=0)


def trimming_note(category: Category, *, chosen_only: bool = False) -> tuple[str, str] | None:
    """Say when trimming can change nothing: every entry has fewer than 4 jurors.

    With ``chosen_only`` (the ranking page) only when the category uses the trimmed mean.
    """
    if chosen_only and category.aggregation != "trimmed":
        return None
    most = jurors_per_entry(category)
    if most >= TRIM_FROM:
        return None
    return (f"Rata-rata terpangkas membuang satu nilai tertinggi dan satu terendah hanya bila "
            f"entri dinilai paling sedikit {TRIM_FROM} juri; di kategori ini paling banyak "
            f"{most} juri per entri, jadi hasilnya sama dengan rata-rata.",
            f"The trimmed mean drops the highest and the lowest score only when an entry has "
            f"at least {TRIM_FROM} jurors; here an entry has at most {most}, so it equals "
            f"the mean.")
