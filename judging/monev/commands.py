"""``flask --app judging import-monev CATEGORY FILE.xlsx``: the web import, from a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from judging.extensions import db
from judging.fields import int_or
from judging.io.xlsx.numbers import format_number
from judging.models import Category, Competition
from judging.monev.batches import build_batch, commit_batch, pending_changes
from judging.monev.refusals import ImportRefused

SHOWN_CHANGES = 50


@click.command("import-monev")
@click.argument("category")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", "do_commit", is_flag=True, help="Store the rows (all or nothing).")
@click.option("--skip-invalid", is_flag=True, help="With --commit: store only the valid rows.")
def import_monev(category: str, path: Path, do_commit: bool, skip_invalid: bool) -> None:
    """Preview a monev workbook for CATEGORY (id, or COMPETITION-CODE/CATEGORY-CODE).

    Exits 1 when rows are rejected, unless --commit --skip-invalid stored the valid ones;
    a refused file exits 1 and stores nothing.
    """
    target = find_category(category)
    try:
        batch = build_batch(target, path.read_bytes(), filename=path.name, user_id=None)
        show_preview(batch)
        if not do_commit:
            db.session.rollback()
            click.echo("Pratinjau saja; tidak ada yang disimpan (tambahkan --commit).")
            sys.exit(1 if batch.rows_rejected else 0)
        stored = len(pending_changes(batch))
        commit_batch(batch.id, category_id=target.id, skip_invalid=skip_invalid, actor_id=None)
    except ImportRefused as refusal:
        db.session.rollback()
        raise click.ClickException(f"{refusal.message_id}\n{refusal.message_en}") from refusal
    db.session.commit()
    click.echo(f"Disimpan: batch #{batch.id}, {stored} nilai diubah, "
               f"{batch.rows_rejected} baris ditolak dilewati.")


def find_category(text: str) -> Category:
    """A category by id, by ``COMPETITION/CODE``, or by a code used in one competition only."""
    if int_or(text) is not None:
        found = db.session.get(Category, int_or(text))
        if found:
            return found
    query = select(Category).join(Category.competition)
    if "/" in text:
        competition, code = text.rsplit("/", 1)
        query = query.where(Competition.code == competition, Category.code == code)
    else:
        query = query.where(Category.code == text)
    matches = list(db.session.scalars(query))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise click.ClickException(f"Kategori '{text}' tidak ditemukan / category not found.")
    raise click.ClickException(
        f"Kode '{text}' dipakai di beberapa kompetisi; tulis KODE-KOMPETISI/{text} "
        "(the code is used in several competitions).")


def show_preview(batch) -> None:
    """The preview as the web page shows it, in plain lines."""
    summary = batch.summary
    click.echo(f"Lembar '{summary['sheet']}', baris judul {summary['header_row']}.")
    click.echo(f"Baris dibaca: {batch.rows_read}; cocok: {batch.rows_valid}; "
               f"ditolak: {batch.rows_rejected}.")
    for error in batch.errors:
        column = f", kolom '{error['column']}'" if error["column"] else ""
        click.echo(f"  DITOLAK baris {error['row']}{column}: {error['message_id']}")
    if summary["missing"]:
        click.echo("Peserta tanpa baris: " + ", ".join(summary["missing"]))
    if summary["extra_columns"]:
        click.echo("Kolom lain diabaikan: " + ", ".join(summary["extra_columns"]))
    for row, written, code, name in summary["suggestions"]:
        click.echo(f"  Saran baris {row}: '{written}' mungkin {code} '{name}' (tidak diterapkan)")
    changes = pending_changes(batch)
    replaced = [c for c in changes if c.had_value]
    click.echo(f"Nilai baru: {len(changes) - len(replaced)}; nilai berubah: {len(replaced)}.")
    for change in replaced[:SHOWN_CHANGES]:
        click.echo(f"  {change.code} {change.key}: {format_number(change.old)} → "
                   f"{format_number(change.new)}")
