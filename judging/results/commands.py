"""Command-line access to rankings: the export workbook and a category's ranking as JSON,
a page at a time (a province-wide category has 5,000 lines)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from judging.extensions import db
from judging.fields import int_or
from judging.models import Category, Competition
from judging.refusals import both
from judging.results.export import ranking_workbook
from judging.results.freeze import current_ranking, ranking_page
from judging.results.serialise import page_dict

PER_PAGE, MAX_PER_PAGE = 100, 10_000


def find_competition(ref: str) -> Competition:
    """A competition by id or by code; a clear error when neither matches."""
    found = db.session.get(Competition, int_or(ref)) if int_or(ref) is not None else None
    if found is None:
        matches = db.session.scalars(select(Competition).where(Competition.code == ref)).all()
        if len(matches) > 1:
            raise click.ClickException(
                both(f"Kode '{ref}' dipakai {len(matches)} kompetisi; pakai id.",
                     f"Code '{ref}' matches {len(matches)} competitions; use the id."))
        found = matches[0] if matches else None
    if found is None:
        raise click.ClickException(
            both(f"Kompetisi '{ref}' tidak ditemukan.", f"Competition '{ref}' not found."))
    return found


@click.command("export-ranking")
@click.argument("competition")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The .xlsx file to write.")
@click.option("--category", "category_id", type=int, help="Only this category (id).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="The language of the headers, sheet names and labels.")
@with_appcontext
def export_ranking(competition, output, category_id, lang):
    """Write the ranking workbook of a competition (id or code), jurors named, to a file."""
    comp = find_competition(competition)
    category = None
    if category_id is not None:
        category = db.session.get(Category, category_id)
        if category is None or category.competition_id != comp.id:
            raise click.ClickException(
                both(f"Kategori {category_id} bukan bagian dari {comp.name}.",
                     f"Category {category_id} is not part of {comp.name}."))
    try:
        data = ranking_workbook(comp, category, include_jurors=True, lang=lang)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from problem
    Path(output).write_bytes(data)
    click.echo(f"{output}: {len(data):,} bytes")


@click.command("ranking")
@click.argument("category_id", type=int)
# JSON is the only output; --json is still accepted (hidden) so existing scripts keep working.
@click.option("--json", "as_json", is_flag=True, hidden=True)
@click.option("--names", is_flag=True, help="Name the jurors instead of 'Juri 1, 2, …'.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1),
              help="Which page of lines to print.")
@click.option("--per-page", default=PER_PAGE, show_default=True,
              type=click.IntRange(min=1, max=MAX_PER_PAGE), help="Lines on a page.")
@click.option("--all", "every_line", is_flag=True, help="Print every line instead of a page.")
@with_appcontext
def ranking(category_id, as_json, names, page, per_page, every_line):
    """Print a page of a category's ranking (frozen once final) with every breakdown and the
    total count, as JSON; --all prints every line."""
    category = db.session.get(Category, category_id)
    if category is None:
        raise click.ClickException(
            both(f"Kategori {category_id} tidak ditemukan.", f"Category {category_id} not found."))
    try:
        if every_line:
            result = current_ranking(category)
            page, per_page, count = 1, max(len(result.lines), 1), len(result.lines)
        else:
            result, count = ranking_page(category, page, per_page)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(json.dumps(page_dict(result, count, page, per_page, named_jurors=names),
                          ensure_ascii=False, indent=2))
