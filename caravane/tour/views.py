"""The tour's pages: the tour, each stop, and its calendar event."""

from __future__ import annotations

from urllib.parse import quote_plus

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from caravane.extensions import db
from caravane.links import public_url
from caravane.tour import calendar
from caravane.tour.models import Stop, Tour

bp = Blueprint("tour", __name__)


def stop_or_404(slug: str) -> Stop:
    stop = db.session.scalar(select(Stop).filter_by(slug=slug))
    if stop is None:
        abort(404)
    return stop


@bp.get("/")
def tour():
    tour = db.session.scalar(select(Tour).order_by(Tour.id))
    return render_template("tour/tour.html", tour=tour, stops=tour.stops if tour else [])


@bp.get("/<stop>")
def stop(stop):
    stop = stop_or_404(stop)
    osm = "https://www.openstreetmap.org/search?query=" + quote_plus(
        f"{stop.address}" if stop.address != stop.city else f"{stop.venue}, {stop.city}"
    )
    return render_template(
        "tour/stop.html", stop=stop, tour=stop.tour, osm_url=osm,
        page_url=public_url("tour.stop", stop=stop.slug),
    )


@bp.get("/<stop>.ics")
def stop_calendar(stop):
    stop = stop_or_404(stop)
    body = calendar.stop_event(stop, public_url("tour.stop", stop=stop.slug))
    return Response(
        body, mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{stop.slug}.ics"'},
    )
