"""The projector: the question on screen, and the QR code that brings phones to the board."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, render_template
from flask_babel import lazy_gettext

from caravane.board import snapshots
from caravane.board.messages import asked_by_forms, plural_forms, shown
from caravane.links import public_url, short_url
from caravane.tour.views import stop_or_404

bp = Blueprint("projector", __name__)

# What the projector says for each state of the board: the big line shown while no question is
# on screen, and the label above the way in. A closed board shows no way in, only its thanks
# (the big line when idle, in place of the QR code while a question is still on screen).
BOARD_WORDS = {
    "open": {
        "idle": lazy_gettext("Posez vos questions depuis votre téléphone"),
        "join": lazy_gettext("Scannez ou tapez"),
    },
    "voting_only": {
        "idle": lazy_gettext("Soutenez les questions depuis votre téléphone"),
        "join": lazy_gettext("Scannez ou tapez pour soutenir"),
    },
    "closed": {
        "idle": lazy_gettext("Les questions sont closes pour cette soirée. Merci !"),
    },
}

def support_forms() -> dict[str, str]:
    """« {num} soutiens » in each plural category of the reader's language (messages.py)."""
    return plural_forms("%(num)s soutien", "%(num)s soutiens")


@bp.get("/<stop>/ecran")
def screen(stop):
    stop = stop_or_404(stop)
    snapshot = snapshots.public_snapshot(stop.slug, None)
    board = snapshot["board"] if snapshot["board"] in BOARD_WORDS else "open"
    return render_template(
        "projector/screen.html", stop=stop, on_screen=snapshot["on_screen"], board_status=board,
        words={status: {key: shown(text) for key, text in texts.items()}
               for status, texts in BOARD_WORDS.items()},
        support_forms=support_forms(), asked_by_forms=asked_by_forms(),
        # A reload mid-answer shows the countdown at once, before the socket has joined.
        timer=snapshot["timer"],
        # Read from the back of the room and typed on a phone: the stop's own short address.
        # The QR code goes straight to the board instead: a scan needs no extra tap.
        short_url=short_url("tour.stop", stop=stop.slug),
        board_url=short_url("attendee.questions", stop=stop.slug),
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
