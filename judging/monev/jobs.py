"""Large monev workbooks are previewed, judged again and stored by background jobs."""

from __future__ import annotations

from judging.evidence import evidence_store
from judging.extensions import db
from judging.jobs import JobFailed, job_handler
from judging.models import Category
from judging.monev.batches import build_batch, commit_batch
from judging.monev.previews import decide, facts_of
from judging.monev.uploads import forget_upload
from judging.refusals import Refused, both


@job_handler("monev.preview")
def preview_job(job, progress) -> None:
    """Read the stored upload into a previewed batch; a refusal fails the job, storing nothing."""
    category = db.session.get(Category, job.params["category_id"])
    if category is None:
        forget_upload(job.params["storage_key"])
        raise JobFailed(both("Kategori sudah tidak ada.", "The category no longer exists."))
    handle = evidence_store().open(job.params["storage_key"])
    try:
        data = handle.read()
    finally:
        handle.close()
    progress(0, job.params.get("estimated_rows") or 0, "Membaca berkas… / Reading the file…")

    def report(done: int, total: int) -> None:
        progress(done, total, f"{done} / {total}")

    try:
        batch = build_batch(category, data, filename=job.params.get("filename", ""),
                            user_id=job.created_by_id, progress=report,
                            facts=facts_of(job.params.get("facts")))
    except Refused as refusal:
        db.session.rollback()
        forget_upload(job.params["storage_key"])
        raise JobFailed(both(refusal.message_id, refusal.message_en)) from refusal
    job.params = {**job.params, "batch_id": batch.id}
    job.message = both(f"Pratinjau siap: batch #{batch.id}.", f"Preview ready: batch #{batch.id}.")


@job_handler("monev.commit")
def commit_job(job, progress) -> None:
    """Store a large batch; its values are committed together with the job's ``done`` state."""
    progress(0, 1, both("Menyimpan nilai…", "Storing values…"))
    try:
        batch = commit_batch(job.params["batch_id"], category_id=job.params["category_id"],
                             skip_invalid=job.params["skip_invalid"], actor_id=job.created_by_id)
    except Refused as refusal:
        raise JobFailed(both(refusal.message_id, refusal.message_en)) from refusal
    job.message = both(f"Batch #{batch.id} disimpan.", f"Batch #{batch.id} stored.")


@job_handler("monev.decide")
def decide_job(job, progress) -> None:
    """Judge a large previewed batch again with the organizer's mapping and scale answers."""
    progress(0, 1, both("Menerapkan pemetaan…", "Applying the mapping…"))
    try:
        batch = decide(job.params["batch_id"], category_id=job.params["category_id"],
                       choices=job.params.get("choices", {}), scales=job.params.get("scales", {}))
    except Refused as refusal:
        raise JobFailed(both(refusal.message_id, refusal.message_en)) from refusal
    job.message = both(f"Pemetaan diterapkan: batch #{batch.id}.",
                       f"Mapping applied: batch #{batch.id}.")
