"""Public 微实事 vote results: a village's rounds with published results, and one round's
standings (votes as <meter> bars: no inline style, no script). See ``app.public.projects``
for why they are public. The result is not on the transparency log (app.projects does not
append it), so these pages carry no proof box.
"""

from __future__ import annotations

from flask import render_template, request

from app.projects import rules as project_rules
from app.projects.models import ProjectRound
from app.public import board, projects
from miniprogram_api.pagination import page_of
from miniprogram_api.public_pages.blueprint import bp
from miniprogram_api.public_pages.pages import PAGE_SIZE
from miniprogram_api.replica import public_read


@bp.app_template_filter("yuan")
def yuan(fen: int | None) -> str:
    """Money stored in fen shown in yuan, e.g. 123456 → "1,234.56 元"."""
    return "" if fen is None else f"{fen / 100:,.2f} 元"


@bp.route("/villages/<code>/projects")
@public_read
def project_rounds(code: str):
    place = board.village_by_code(code)
    listing = page_of(projects.published_rounds_query(place), ProjectRound.id,
                      cursor=request.args.get("cursor"), limit=PAGE_SIZE)
    return render_template("public/project_rounds.html", village=place, rows=listing.items,
                           next_cursor=listing.next_cursor)


@bp.route("/project-rounds/<int:round_id>")
@public_read
def project_round(round_id: int):
    result = projects.round_result(round_id)
    return render_template("public/project_round.html", **result,
                           kinds=project_rules.KIND_NAMES,
                           ballot_type=project_rules.BALLOT_TYPE_NAMES.get(
                               result["round"].ballot_type, ""),
                           vote_unit=project_rules.VOTE_UNIT_NAMES.get(
                               result["round"].vote_unit, ""))
