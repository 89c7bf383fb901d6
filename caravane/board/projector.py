"""The projector: the question on screen, and the QR code that brings phones to the board."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, render_template

from caravane.board import snapshots
from caravane.links import public_url, short_url
from caravane.tour.views import stop_or_404

bp = Blueprint("projector", __name__)


@bp.get("/<stop>/ecran")
def screen(stop):
    stop = stop_or_404(stop)
    snapshot = snapshots.public_snapshot(stop.slug, None)
    return render_template(
        "projector/screen.html", stop=stop, on_screen=snapshot["on_screen"],
        board_status=snapshot["board"], short_url=short_url("attendee.questions", stop=stop.slug),
    )


@bp.get("/<stop>/qr.svg")
def qr_code(stop):
    stop = stop_or_404(stop)
    qr = segno.make(public_url("attendee.questions", stop=stop.slug), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=10, border=2, dark="#111111", light="#ffffff",
            xmldecl=False,
            title=f"QR code : {short_url('attendee.questions', stop=stop.slug)}")
    return Response(buffer.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=300"})
