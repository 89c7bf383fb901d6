"""The tour's pages: the tour, each stop, and its calendar event."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote_plus

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from sqlalchemy import select

from caravane.extensions import db
from caravane.links import public_url
from caravane.page_cache import cached_page
from caravane.tour import calendar
from caravane.tour.localized import (
    LocalizedGuest,
    LocalizedText,
    guests_in_language,
    in_language,
)
from caravane.tour.models import LIVE_BOARD_STATES, TOUR_TIMEZONE, Stop, Tour

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
    state = db.session.execute(select(Tour.id, Tour.revision).order_by(Tour.id).limit(1)).first()

    def render() -> str:
        tour = db.session.get(Tour, state.id) if state else None
        return render_template("tour/tour.html", tour=tour, stops=tour.stops if tour else [])

    return cached_page((state.revision if state else None,), render)


@bp.get("/<stop>")
def stop(stop):
    # What the page depends on beyond the tour file: whether it sends visitors to the live board.
    state = db.session.execute(
        select(Stop.id, Stop.board_status, Stop.starts_at, Tour.revision)
        .join(Tour, Tour.id == Stop.tour_id).where(Stop.slug == stop)).first()
    if state is None:
        abort(404)
    live = state.starts_at.date() == tour_today() and state.board_status in LIVE_BOARD_STATES

    def render() -> str:
        found = db.session.get(Stop, state.id)
        osm = "https://www.openstreetmap.org/search?query=" + quote_plus(
            f"{found.address}" if found.address != found.city else f"{found.venue}, {found.city}"
        )
        return render_template(
            "tour/stop.html", stop=found, tour=found.tour, osm_url=osm,
            page_url=public_url("tour.stop", stop=found.slug), live_board=live,
        )

    # The link's words follow the board (ask and support, or support only).
    return cached_page((state.revision, str(state.board_status) if live else None), render)


@bp.get("/<stop>.ics")
def stop_calendar(stop):
    stop = stop_or_404(stop)
    body = calendar.stop_event(stop, public_url("tour.stop", stop=stop.slug))
    return Response(
        body, mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{stop.slug}.ics"'},
    )
