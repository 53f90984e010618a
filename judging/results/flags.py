"""People's words for the engine's and methods' flag keys (Indonesian, English)."""

from __future__ import annotations

FLAG_LABELS: dict[str, tuple[str, str]] = {
    "not_advanced": ("Tidak lolos tahap", "Not advanced past the gate"),
    "no_complaints": ("Tidak ada pengaduan", "No complaints"),
    "few_marks": ("Nilai juri kurang", "Fewer jury marks than required"),
    "disagreement": ("Juri berbeda pendapat", "Jurors disagree"),
    "missing_indicators": ("Data monev belum lengkap", "Monev data incomplete"),
    "no_response_time": ("Waktu tindak lanjut kosong", "No follow-up time"),
}


def flag_label(key: str, lang: str = "id") -> str:
    """The label of a flag; an unknown flag (from an outside plugin) is shown by its key."""
    pair = FLAG_LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def flag_labels_id() -> dict[str, str]:
    """Every known flag with its Indonesian label (for exports, which are in Indonesian)."""
    return {k: v[0] for k, v in FLAG_LABELS.items()}
