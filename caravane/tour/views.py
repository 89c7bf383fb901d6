"""The tour's pages: the tour, each stop, and its calendar event."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote_plus

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from sqlalchemy import select

from caravane.extensions import db
from caravane.links import public_url
from caravane.tour import calendar
from caravane.tour.localized import (
    LocalizedGuest,
    LocalizedText,
    guests_in_language,
    in_language,
)
from caravane.tour.models import TOUR_TIMEZONE, Stop, Tour

bp = Blueprint("tour", __name__)


@bp.app_template_global()
def reader_text(record: Tour | Stop, field: str) -> LocalizedText:
    """A text of the tour or a stop in the reader's language, else in French (with the
    attributes to say so: `<p{{ title.attributes }}>{{ title.text }}</p>`)."""
    return in_language(record, field, str(get_locale()))


@bp.app_template_global()
def reader_guests(stop: Stop) -> list[LocalizedGuest]:
    return guests_in_language(stop, str(get_locale()))


def tour_today() -> date:
    """Today where the tour happens: a server in UTC would switch days at 1 or 2 am."""
    return datetime.now(TOUR_TIMEZONE).date()


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
        live_board=stop.board_is_live(tour_today()),
    )


@bp.get("/<stop>.ics")
def stop_calendar(stop):
    stop = stop_or_404(stop)
    body = calendar.stop_event(stop, public_url("tour.stop", stop=stop.slug))
    return Response(
        body, mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{stop.slug}.ics"'},
    )
