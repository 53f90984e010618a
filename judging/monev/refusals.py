"""Why a monev upload, confirm, discard or rollback cannot be done; the caller rolls back."""

from __future__ import annotations

from judging.io.xlsx.safety import WorkbookRefused
from judging.phases import monev_editable
from judging.refusals import Refused


def from_workbook(refusal: WorkbookRefused) -> Refused:
    """The reader's whole-file refusal, carried unchanged."""
    return Refused(refusal.message_id, refusal.message_en)


def check_phase(competition) -> None:
    """Monev may change from draft to moderation; after ``final`` frozen results must not move."""
    if not monev_editable(competition):
        raise Refused(
            f"Kompetisi sudah pada tahap '{competition.phase}': hasil sudah dibekukan, sehingga "
            "data monev tidak boleh diubah (impor, konfirmasi, dan pembatalan ditolak).",
            f"The competition is in phase '{competition.phase}': results are frozen, so monev "
            "data must not change (import, confirm and rollback are refused).",
        )


def wrong_category() -> Refused:
    """A batch asked for through another category's page."""
    return Refused(
        "Batch impor ini milik kategori lain; buka dari halaman kategorinya.",
        "This import batch belongs to another category; open it from its own category page.",
    )


def not_previewed(state: str) -> Refused:
    """A confirm or discard of a batch that is no longer waiting (double submit, stale tab)."""
    if state == "committed":
        return Refused(
            "Batch ini sudah dikonfirmasi dan disimpan sebelumnya; tidak diimpor dua kali.",
            "This batch was already confirmed and stored; it is not imported twice.",
        )
    return Refused(
        f"Batch ini sudah berstatus '{state}' dan tidak bisa dikonfirmasi lagi; unggah ulang "
        "berkasnya bila perlu.",
        f"This batch is already '{state}' and cannot be confirmed; upload the file again if "
        "needed.",
    )


def too_many_rows(rows: int, limit: int) -> Refused:
    """A sheet whose size alone is over the row limit, refused before it is read."""
    from judging.io.monev.rows import too_many_rows as refusal

    return from_workbook(refusal(rows, limit, about=True))
