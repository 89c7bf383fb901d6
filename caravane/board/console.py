"""The moderators' pages: the console of a stop, and its export."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import login_required

from caravane.board import export
from caravane.board.messages import console_vocabulary
from caravane.tour.views import stop_or_404

bp = Blueprint("console", __name__)


@bp.get("/<stop>/moderation")
@login_required
def console(stop):
    stop = stop_or_404(stop)
    return render_template("console/console.html", stop=stop, vocabulary=console_vocabulary())


@bp.get("/<stop>/export.csv")
@login_required
def export_csv(stop):
    stop = stop_or_404(stop)
    return Response(
        export.render(stop, "csv"), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="questions-{stop.slug}.csv"'},
    )
