"""One path for every board request, whether it came over HTTP, Socket.IO, the command line
or the clock: spend the caller's budget, apply the rule, publish what changed, hand back the
acknowledgement's value.

Handlers parse first (board/inputs.py) and localize the answer after; nothing here knows
which transport asked.
"""

from __future__ import annotations

import logging

from flask import Flask

from caravane import ratelimit
from caravane.accounts.models import Moderator
from caravane.board import retention, rules
from caravane.board.errors import BoardError
from caravane.board.events import Outcome
from caravane.board.inputs import BoardChange, Edit, Moderation, Submission
from caravane.board.publisher import publish
from caravane.extensions import db, socketio
from caravane.tour.models import Stop

log = logging.getLogger(__name__)
DAY = 24 * 60 * 60


def _spend(action: str, attendee: str) -> None:
    try:
        ratelimit.spend(action, attendee)
    except ratelimit.RateLimited as limited:
        raise BoardError("rate_limited", retry=limited.retry) from None


def _published(outcome: Outcome) -> dict:
    publish(outcome.events)
    return outcome.value


def submit(submission: Submission, attendee: str) -> dict:
    _spend("submit", attendee)
    return _published(rules.submit(submission, attendee))


def vote(question_id: int, attendee: str) -> dict:
    _spend("vote", attendee)
    return _published(rules.vote(question_id, attendee))


def moderate(command: Moderation, actor: Moderator) -> dict:
    return _published(rules.moderate(command, actor))


def edit(command: Edit, actor: Moderator) -> dict:
    return _published(rules.edit(command, actor))


def set_board_status(command: BoardChange, actor: Moderator) -> dict:
    return _published(rules.set_board_status(command, actor))


def purge(stops: list[Stop]) -> int:
    """Erase these stops' questions now (the command line); phones and projectors follow."""
    count, produced = retention.purge_stops(stops)
    publish(produced)
    return count


def start_retention_schedule(app: Flask) -> None:
    """Apply the retention period at start-up and then every day, in the server's own event
    loop. Called by the server entry point only (wsgi.py): never in tests or command-line runs."""

    def loop() -> None:
        while True:
            try:
                with app.app_context():
                    _count, produced = retention.purge_expired()
                    publish(produced)
                    db.session.remove()
            except Exception:
                log.exception("retention: automatic purge failed, will retry tomorrow")
            socketio.sleep(DAY)

    socketio.start_background_task(loop)
