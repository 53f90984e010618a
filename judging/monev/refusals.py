"""Why a monev action cannot be done, in Indonesian and English; nothing was changed."""

from __future__ import annotations

from judging.io.xlsx.safety import WorkbookRefused
from judging.phases import monev_editable


class ImportRefused(Exception):
    """A refused upload, confirm, discard or rollback; the caller rolls back its session."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en

    @classmethod
    def from_workbook(cls, refusal: WorkbookRefused) -> ImportRefused:
        """The reader's whole-file refusal, carried unchanged."""
        return cls(refusal.message_id, refusal.message_en)


def check_phase(competition) -> None:
    """Monev may change from draft to moderation; after ``final`` frozen results must not move."""
    if not monev_editable(competition):
        raise ImportRefused(
            f"Kompetisi sudah pada tahap '{competition.phase}': hasil sudah dibekukan, sehingga "
            "data monev tidak boleh diubah (impor, konfirmasi, dan pembatalan ditolak).",
            f"The competition is in phase '{competition.phase}': results are frozen, so monev "
            "data must not change (import, confirm and rollback are refused).",
        )


def wrong_category() -> ImportRefused:
    """A batch asked for through another category's page."""
    return ImportRefused(
        "Batch impor ini milik kategori lain; buka dari halaman kategorinya.",
        "This import batch belongs to another category; open it from its own category page.",
    )


def not_previewed(state: str) -> ImportRefused:
    """A confirm or discard of a batch that is no longer waiting (double submit, stale tab)."""
    if state == "committed":
        return ImportRefused(
            "Batch ini sudah dikonfirmasi dan disimpan sebelumnya; tidak diimpor dua kali.",
            "This batch was already confirmed and stored; it is not imported twice.",
        )
    return ImportRefused(
        f"Batch ini sudah berstatus '{state}' dan tidak bisa dikonfirmasi lagi; unggah ulang "
        "berkasnya bila perlu.",
        f"This batch is already '{state}' and cannot be confirmed; upload the file again if "
        "needed.",
    )


def too_many_rows(rows: int, limit: int) -> ImportRefused:
    """A sheet whose size alone is over the row limit, refused before it is read."""
    shown_rows, shown_limit = f"{rows:,}".replace(",", "."), f"{limit:,}".replace(",", ".")
    return ImportRefused(
        f"Lembar berisi sekitar {shown_rows} baris, melebihi batas {shown_limit} baris data.",
        f"The sheet holds about {rows:,} rows, over the limit of {limit:,} data rows.",
    )
