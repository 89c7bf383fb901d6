"""The tour's pages: the tour, each stop, its calendar event, the language choice, health."""

from __future__ import annotations

from urllib.parse import quote_plus, urlsplit

from flask import Blueprint, Response, abort, redirect, render_template, request, session
from sqlalchemy import select, text

from caravane import calendar
from caravane.extensions import db
from caravane.forms import EmptyForm
from caravane.links import public_url
from caravane.models import Stop, Tour

bp = Blueprint("site", __name__)


def stop_or_404(slug: str) -> Stop:
    stop = db.session.scalar(select(Stop).filter_by(slug=slug))
    if stop is None:
        abort(404)
    return stop


@bp.get("/")
def tour():
    tour = db.session.scalar(select(Tour).order_by(Tour.id))
    return render_template("site/tour.html", tour=tour, stops=tour.stops if tour else [])


@bp.get("/<stop>")
def stop(stop):
    stop = stop_or_404(stop)
    osm = "https://www.openstreetmap.org/search?query=" + quote_plus(
        f"{stop.address}" if stop.address != stop.city else f"{stop.venue}, {stop.city}"
    )
    return render_template(
        "site/stop.html", stop=stop, tour=stop.tour, osm_url=osm,
        page_url=public_url("site.stop", stop=stop.slug),
    )


@bp.get("/<stop>.ics")
def stop_calendar(stop):
    stop = stop_or_404(stop)
    body = calendar.stop_event(stop, public_url("site.stop", stop=stop.slug))
    return Response(
        body, mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{stop.slug}.ics"'},
    )


@bp.post("/langue")
def choose_language():
    form = EmptyForm()
    lang = request.form.get("lang")
    if form.validate_on_submit() and lang in ("fr", "en", "ar"):
        session["lang"] = lang
    target = request.form.get("next") or "/"
    # Only a path on this site: never an open redirect.
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target, code=303)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
