"""The moderators' pages: the console of a stop, and its export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from caravane.board import export
from caravane.board.messages import console_vocabulary
from caravane.tour.models import Stop
from caravane.tour.views import stop_or_404

bp = Blueprint("console", __name__)


def granted_or_403(slug: str) -> Stop:
    stop = stop_or_404(slug)
    if not current_user.may_moderate(stop):
        abort(403)
    return stop


@bp.get("/<stop>/moderation")
@login_required
def console(stop):
    stop = granted_or_403(stop)
    return render_template("console/console.html", stop=stop, vocabulary=console_vocabulary())


@bp.get("/<stop>/export.csv")
@login_required
def export_csv(stop):
    stop = granted_or_403(stop)
    return Response(
        export.render(stop, "csv"), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="questions-{stop.slug}.csv"'},
    )
