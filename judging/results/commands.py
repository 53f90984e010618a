"""Command-line access to rankings: the export workbook and a category's ranking as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import select

from judging.extensions import db
from judging.fields import int_or
from judging.models import Category, Competition
from judging.refusals import both
from judging.results.export import ranking_workbook
from judging.results.freeze import current_ranking
from judging.results.serialise import ranking_dict


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
def export_ranking(competition, output, category_id):
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
        data = ranking_workbook(comp, category, include_jurors=True)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from problem
    Path(output).write_bytes(data)
    click.echo(f"{output}: {len(data):,} bytes")


@click.command("ranking")
@click.argument("category_id", type=int)
# JSON is the only output; --json is still accepted (hidden) so existing scripts keep working.
@click.option("--json", "as_json", is_flag=True, hidden=True)
@click.option("--names", is_flag=True, help="Name the jurors instead of 'Juri 1, 2, …'.")
def ranking(category_id, as_json, names):
    """Print a category's ranking (frozen once final) with every breakdown, as JSON."""
    category = db.session.get(Category, category_id)
    if category is None:
        raise click.ClickException(
            both(f"Kategori {category_id} tidak ditemukan.", f"Category {category_id} not found."))
    try:
        result = current_ranking(category)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(json.dumps(ranking_dict(result, detail=True, named_jurors=names),
                          ensure_ascii=False, indent=2))
