"""``flask --app judging import-monev CATEGORY FILE.xlsx``: the web import, from a shell.

Every line is printed once, in one language (``--lang``, else ``JUARA_LANG``/``LANG``):
the mapping of each header and why, indicators without a column, scale questions,
rejected rows, entrants without a row (long lists go to ``--missing-report``), changes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from sqlalchemy import select

from judging.extensions import db
from judging.fields import int_or
from judging.io.monev.mapping import IGNORE, header_key
from judging.io.xlsx.numbers import format_number
from judging.models import Category, Competition
from judging.monev.batches import commit_batch
from judging.monev.previews import build_batch, category_entries
from judging.monev.report import Report
from judging.monev.uploads import forget_upload
from judging.plugin_setup import methods
from judging.refusals import Refused, both


def default_lang() -> str:
    """English when the shell asks for it (JUARA_LANG, then LANG), Indonesian otherwise."""
    wanted = os.environ.get("JUARA_LANG") or os.environ.get("LANG") or ""
    return "en" if wanted.lower().startswith("en") else "id"


@click.command("import-monev")
@click.argument("category")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", "do_commit", is_flag=True, help="Store the rows (all or nothing).")
@click.option("--skip-invalid", is_flag=True, help="With --commit: store only the valid rows.")
@click.option("--map", "maps", multiple=True, metavar='"HEADER=INDICATOR"',
              help="Map a column header to an indicator (key or header); "
                   '"HEADER=" ignores the column. Repeatable; remembered on --commit.')
@click.option("--scale", "scales", multiple=True, metavar="INDICATOR=fraction|as-written",
              help="Answer a mixed-scale question: numbers up to 1 are fractions (×100), "
                   "or every number is as written.")
@click.option("--missing-report", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every enrolled entrant without a row (code, name) to this CSV file.")
@click.option("--lang", type=click.Choice(["id", "en"]), default=None,
              help="Language of the messages (default: from JUARA_LANG or LANG).")
def import_monev(category: str, path: Path, do_commit: bool, skip_invalid: bool,
                 maps: tuple[str, ...], scales: tuple[str, ...], missing_report: Path | None,
                 lang: str | None) -> None:
    """Preview a monev workbook for CATEGORY (id, or COMPETITION-CODE/CATEGORY-CODE).

    Exits 1 when rows are rejected or the mapping or a scale needs a decision, unless
    --commit --skip-invalid stored the valid ones; a refused file exits 1 and stores nothing.
    """
    lang = lang or default_lang()
    target = find_category(category)
    indicators = methods().get(target.method_key).indicators
    choices = {head: key for head, key in (parse_map(m, indicators, lang) for m in maps)}
    answers = dict(parse_scale(s, indicators, lang) for s in scales)
    key = None
    try:
        batch = build_batch(target, path.read_bytes(), filename=path.name, user_id=None,
                            choices=choices, scales=answers)
        key = batch.storage_key
        report = Report(batch, indicators, category_entries(target), lang)
        report.show(click.echo, missing_report)
        if not do_commit:
            db.session.rollback()
            forget_upload(key)
            click.echo(report.say("Pratinjau saja; tidak ada yang disimpan (tambahkan --commit).",
                                  "Preview only; nothing was stored (add --commit)."))
            sys.exit(1 if report.needs_attention else 0)
        stored = batch.summary["new_values"] + batch.summary["replaced"]
        commit_batch(batch.id, category_id=target.id, skip_invalid=skip_invalid, actor_id=None,
                     via="cli")
    except Refused as refusal:
        db.session.rollback()
        forget_upload(key)
        raise click.ClickException(refusal.message_en if lang == "en"
                                   else refusal.message_id) from refusal
    db.session.commit()
    click.echo(report.say(
        f"Disimpan: batch #{batch.id}, {format_number(stored, 'id')} nilai diubah, "
        f"{format_number(batch.rows_rejected, 'id')} baris ditolak dilewati.",
        f"Stored: batch #{batch.id}, {format_number(stored, 'en')} values changed, "
        f"{format_number(batch.rows_rejected, 'en')} rejected rows skipped."))


def parse_map(text: str, indicators, lang: str) -> tuple[str, str]:
    """``"Header=indicator"`` as (header, indicator key); an empty right side ignores."""
    head, sep, wanted = text.rpartition("=")
    if not sep or not head.strip():
        raise click.BadParameter(_say(lang, f"'{text}': tulis \"Judul Kolom=indikator\".",
                                      f"'{text}': write \"Column Header=indicator\"."),
                                 param_hint="--map")
    if not wanted.strip() or wanted.strip() == "-":
        return head.strip(), IGNORE
    for ind in indicators:
        if header_key(wanted) in (header_key(ind.key), header_key(ind.header)):
            return head.strip(), ind.key
    known = ", ".join(i.key for i in indicators)
    raise click.BadParameter(_say(lang, f"indikator '{wanted}' tidak dikenal; pilih: {known}.",
                                  f"unknown indicator '{wanted}'; choose: {known}."),
                             param_hint="--map")


def parse_scale(text: str, indicators, lang: str) -> tuple[str, str]:
    """``"indicator=fraction"`` or ``"indicator=as-written"`` as (key, answer)."""
    wanted, _, answer = text.partition("=")
    answer = answer.strip().replace("-", "_")
    keys = {i.key for i in indicators}
    if wanted.strip() not in keys or answer not in ("fraction", "as_written"):
        raise click.BadParameter(_say(
            lang, f"'{text}': tulis INDIKATOR=fraction atau INDIKATOR=as-written.",
            f"'{text}': write INDICATOR=fraction or INDICATOR=as-written."), param_hint="--scale")
    return wanted.strip(), answer


def _say(lang: str, message_id: str, message_en: str) -> str:
    return message_en if lang == "en" else message_id


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
        raise click.ClickException(both(f"Kategori '{text}' tidak ditemukan.",
                                        f"Category '{text}' not found."))
    raise click.ClickException(
        f"Kode '{text}' dipakai di beberapa kompetisi; tulis KODE-KOMPETISI/{text} "
        "(the code is used in several competitions).")
