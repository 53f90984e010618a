"""Published results: winners per category, bands and awards, for anyone; 404 before."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_babel import get_locale

from judging.certificates.design import design_settings
from judging.evidence import evidence_store
from judging.io.files.check import MIMES
from judging.io.files.storage import MissingEvidence
from judging.pages.loading import published_competition
from judging.permissions import access
from judging.public.blueprint import bp
from judging.results.charts import band_chart
from judging.results.pagecache import kept_page
from judging.results.previous import previous_results
from judging.results.publish import published_rankings


@bp.route("/results/<int:competition_id>")
@access("public")
def results(competition_id: int):
    """A competition's published winners, readable on a phone and printable."""
    competition = published_competition(competition_id)
    page = kept_page(competition, str(get_locale()), lambda: _render_results(competition))
    return render_template("public/results.html", competition=competition, page=page)


def _render_results(competition) -> str:
    """The results themselves, without the layout: what ``kept_page`` keeps."""
    rankings = published_rankings(competition)
    risen = set()
    if competition.show_rank_rise:
        risen = {e for r in rankings for e, p in previous_results(r).items() if p.rose}
    charts = {r.category.id: band_chart(r, tuple(b.label for b in r.method.bands))
              for r in rankings}
    return render_template("public/_results.html", competition=competition,
                           rankings=rankings, risen=risen, band_charts=charts,
                           logo=design_settings(competition).logo is not None)


@bp.route("/results/<int:competition_id>/logo")
@access("public")
def results_logo(competition_id: int):
    """The organising body's logo on published results (the certificate design's logo)."""
    logo = design_settings(published_competition(competition_id)).logo
    if logo is None:
        abort(404)
    try:
        handle = evidence_store().open(logo.key)
    except MissingEvidence:
        abort(404)
    with handle:
        response = Response(handle.read(), mimetype=MIMES[logo.kind])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
