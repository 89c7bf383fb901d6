"""The record's addresses: its public page, Markdown and CSV once published (404 before),
and the moderators' form that publishes or withdraws it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required

from caravane.board.console import granted_or_403
from caravane.forms import EmptyForm
from caravane.record import formats, rules
from caravane.record.models import DebateRecord
from caravane.tour.models import Stop
from caravane.tour.views import stop_or_404

bp = Blueprint("record", __name__)


@bp.app_template_global()
def debate_record(stop: Stop) -> DebateRecord | None:
    """The stop's record, published or not (the stop page links to it once published, the
    log page offers to publish it). Here rather than in tour/views.py: the tour knows
    nothing of what the board and the record hold."""
    return rules.record_of(stop)


def _published_or_404(slug: str) -> tuple[Stop, DebateRecord]:
    stop = stop_or_404(slug)
    record = rules.record_of(stop)
    if record is None or not record.published:
        abort(404)
    return stop, record


@bp.get("/<stop>/compte-rendu")
def page(stop):
    stop, record = _published_or_404(stop)
    return render_template("record/record.html", stop=stop, record=record,
                           entries=record.entries or [])


@bp.get("/<stop>/compte-rendu.md")
def markdown(stop):
    stop, record = _published_or_404(stop)
    body = formats.markdown(stop, record.entries or [], str(get_locale()))
    return Response(body, mimetype="text/markdown")


@bp.get("/<stop>/compte-rendu.csv")
def csv(stop):
    stop, record = _published_or_404(stop)
    return Response(
        formats.csv_text(record.entries or []), mimetype="text/csv",
        headers={"Content-Disposition":
                 f'attachment; filename="compte-rendu-{stop.slug}.csv"'},
    )


@bp.post("/<stop>/moderation/compte-rendu")
@login_required
def moderate(stop):
    stop = granted_or_403(stop)
    form = EmptyForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("publish", "unpublish"):
        abort(400)
    if action == "publish":
        rules.publish(stop, current_user)
        flash(gettext("Compte rendu publié : il est en ligne, lié depuis la page de l'étape."))
    else:
        rules.unpublish(stop, current_user)
        flash(gettext("Compte rendu retiré : son adresse ne répond plus jusqu'à une nouvelle "
                      "publication."))
    return redirect(url_for("console.log", stop=stop.slug) + "#compte-rendu", code=303)
