"""The moderators' pages: the chooser of stops, the console of a stop, its log and export."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_timezone
from flask_login import current_user, login_required
from sqlalchemy import select

from caravane.board import export, snapshots
from caravane.board.messages import console_vocabulary, log_line
from caravane.board.timer import timer_state
from caravane.extensions import db
from caravane.storage import utcnow
from caravane.tour.models import Stop
from caravane.tour.views import stop_or_404

bp = Blueprint("console", __name__)


def granted_or_403(slug: str) -> Stop:
    stop = stop_or_404(slug)
    if not current_user.may_moderate(stop):
        abort(403)
    return stop


@bp.get("/moderation")
@login_required
def chooser():
    """Where signing in leads: the stops this moderator may moderate, today's or the next one
    first, each with the questions waiting to be read."""
    stops = [stop for stop in db.session.scalars(select(Stop).order_by(Stop.starts_at))
             if current_user.may_moderate(stop)]
    today = datetime.now(get_timezone()).date()  # the stops' times are the tour's wall clock
    upcoming = [stop for stop in stops if stop.starts_at.date() >= today]
    past = [stop for stop in reversed(stops) if stop.starts_at.date() < today]
    return render_template("console/chooser.html", stops=upcoming + past,
                           next_stop=upcoming[0] if upcoming else None,
                           pending=snapshots.pending_counts(stops))


@bp.get("/<stop>/moderation/journal")
@login_required
def log(stop):
    stop = granted_or_403(stop)
    return render_template("console/log.html", stop=stop,
                           entries=[log_line(entry) for entry in snapshots.stop_log(stop)])


@bp.get("/<stop>/moderation")
@login_required
def console(stop):
    stop = granted_or_403(stop)
    return render_template("console/console.html", stop=stop, vocabulary=console_vocabulary(),
                           timer=timer_state(stop, utcnow()))


@bp.get("/<stop>/export.csv")
@login_required
def export_csv(stop):
    stop = granted_or_403(stop)
    return Response(
        export.render(stop, "csv"), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="questions-{stop.slug}.csv"'},
    )
