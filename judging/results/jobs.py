"""The background job that builds the ranking workbook and stores it for download."""

from __future__ import annotations

import io

from judging.evidence import evidence_store
from judging.extensions import db
from judging.jobs import JobFailed, job_handler
from judging.models import Category, Competition
from judging.refusals import both
from judging.results.export import XLSX_MIME, ranking_workbook, workbook_name

KIND = "export.ranking"


@job_handler(KIND)
def export_ranking(job, progress) -> None:
    """Build the workbook (progress per sheet), store it, and name it for the download.

    Written in the language of the organizer who asked (``locale``, stored when queued).
    """
    competition = db.session.get(Competition, job.params.get("competition_id") or 0)
    if competition is None:
        raise JobFailed(both("Kompetisi tidak ditemukan.", "The competition was not found."))
    category = None
    if job.params.get("category_id"):
        category = db.session.get(Category, job.params["category_id"])
        if category is None or category.competition_id != competition.id:
            raise JobFailed(both("Kategori tidak ditemukan.", "The category was not found."))
    try:
        data = ranking_workbook(competition, category, include_jurors=True,
                                progress=lambda done, total: progress(done, total),
                                lang=job.params.get("locale"))
    except ValueError as problem:
        raise JobFailed(f"Peringkat tidak bisa dihitung: {problem}") from problem
    job.result_key = evidence_store().put(io.BytesIO(data))
    job.result_name = workbook_name(competition, category)
    job.params = {**job.params, "mime": XLSX_MIME}
