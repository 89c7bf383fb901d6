"""One path for every board request, whether it came over HTTP, Socket.IO, the command line
or the clock: spend the caller's budget, apply the rule, publish what changed, hand back the
acknowledgement's value.

Handlers parse first (board/inputs.py) and localize the answer after; nothing here knows
which transport asked.
"""

from __future__ import annotations

import logging
import time

from flask import Flask

from caravane import ratelimit
from caravane.accounts.models import Moderator
from caravane.board import analysis, answers, merging, retention, rules, timer
from caravane.board.errors import BoardError
from caravane.board.events import Outcome
from caravane.board.identity import Attendee
from caravane.board.inputs import (
    Arrange,
    BoardChange,
    Edit,
    Merge,
    Moderation,
    NextQuestion,
    Reply,
    Submission,
    TimerCommand,
    Unmerge,
)
from caravane.board.publisher import publish
from caravane.extensions import db, socketio
from caravane.tour.models import Stop

log = logging.getLogger(__name__)
DAY = 24 * 60 * 60
# This many supports of one question within a minute, from fresh identities of one address,
# and moderators are told (docs/security.md).
SUPPORT_BURST = 20


def _spend(action: str, attendee: Attendee, subject: str = "") -> None:
    try:
        ratelimit.spend(action, attendee.budget_key(), subject)
    except ratelimit.RateLimited as limited:
        raise BoardError("rate_limited", retry=limited.retry) from None


def _identified(attendee: Attendee | None) -> Attendee:
    # Only a page load mints an identity (board/session.py): a bare socket cannot write.
    if attendee is None:
        raise BoardError("no_attendee")
    return attendee


def _published(outcome: Outcome) -> dict:
    publish(outcome.events)
    analysis.schedule(outcome.analyse)
    return outcome.value


def submit(submission: Submission, attendee: Attendee | None) -> dict:
    attendee = _identified(attendee)
    _spend("submit", attendee)
    return _published(rules.submit(submission, attendee))


def vote(question_id: int, attendee: Attendee | None, stop: str | None = None) -> dict:
    attendee = _identified(attendee)
    _spend("vote", attendee)
    _spend("vote_question", attendee, str(question_id))
    value = _published(rules.vote(question_id, attendee, stop))
    if value["voted"] and attendee.is_fresh(time.time()):
        burst = ratelimit.count("fresh_support", str(question_id), "1000 per minute")
        if burst and burst % SUPPORT_BURST == 0:
            _published(rules.mark_support_burst(question_id, burst))
    return value


def moderate(command: Moderation, actor: Moderator) -> dict:
    return _published(rules.moderate(command, actor))


def edit(command: Edit, actor: Moderator) -> dict:
    return _published(rules.edit(command, actor))


def arrange(command: Arrange, actor: Moderator) -> dict:
    return _published(rules.arrange(command, actor))


def merge(command: Merge, actor: Moderator) -> dict:
    return _published(merging.merge(command, actor))


def unmerge(command: Unmerge, actor: Moderator) -> dict:
    return _published(merging.unmerge(command, actor))


def reply(command: Reply, actor: Moderator) -> dict:
    return _published(answers.reply(command, actor))


def next_question(command: NextQuestion, actor: Moderator) -> dict:
    return _published(rules.next_question(command, actor))


def set_board_status(command: BoardChange, actor: Moderator) -> dict:
    return _published(rules.set_board_status(command, actor))


def command_timer(command: TimerCommand, actor: Moderator) -> dict:
    return _published(timer.command_timer(command, actor))


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
