"""The board's rules driven as a socket handler drives them: the payload parsed at the edge,
then the rule; no transport, no publishing. For tests that set up or explore a board directly."""

from __future__ import annotations

import uuid

from caravane.board import inputs, rules
from caravane.board.events import Outcome
from caravane.board.identity import Attendee


def attendee(secret: str) -> Attendee:
    """An attendee whose cookie holds `secret`, minted long ago (never "fresh")."""
    return Attendee(secret, minted_at=0)


def submit(stop: str, who: str, text: str, client_id: str | None = None,
           name: str | None = None) -> Outcome:
    """Store a question, then let the moderation assistant read it, as the serving process's
    worker does right after the acknowledgement (board/analysis.py)."""
    payload = {"stop": stop, "text": text, "client_id": client_id or str(uuid.uuid4()),
               "name": name}
    outcome = rules.submit(inputs.submission(payload), attendee(who))
    for question_id in outcome.analyse:
        rules.analyse(question_id)
    return outcome


def vote(question_id: int, who: str) -> Outcome:
    return rules.vote(question_id, attendee(who))


def moderate(question_id: int, action: str, version: int, actor, **extra) -> Outcome:
    payload = {"question_id": question_id, "action": action, "version": version, **extra}
    return rules.moderate(inputs.moderation(payload), actor)


def edit(question_id: int, text: str, version: int, actor) -> Outcome:
    payload = {"question_id": question_id, "text": text, "version": version}
    return rules.edit(inputs.edit(payload), actor)


def set_board_status(stop: str, status: str, actor) -> Outcome:
    return rules.set_board_status(inputs.board_change({"stop": stop, "status": status}), actor)

