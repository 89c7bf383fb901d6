"""Numbers every change a stop's clients hear about, so that a page can tell it missed one.

Each stop keeps two counters: one for its phones and projectors (events to the whole stop),
one for its consoles. A change adds one to each counter it concerns, inside its own write
transaction, and its events carry the new number as `seq`. A page remembers the last number
it holds (its snapshot carries one too); when it hears a higher one than the next, or a beat
(board/beat.py) says the stop went further, it asks for the board again. The counters live in
the database: they survive a restart and are shared by every process (docs/protocol.md).

An attendee's own events (their question's status) are not numbered: they go to one person,
and a page that rejoins gets its own questions afresh anyway.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import bindparam, update

from caravane.board.events import Audience, Outcome
from caravane.extensions import db
from caravane.tour.models import Stop

STOPS = Stop.__table__
# One statement per counter, built once and run on the connection: building it for every change
# and running it through the ORM's session was a quarter of a submission's time in a storm
# (py-spy, docs/deploy.md).
COUNTERS = {
    audience: update(STOPS).where(STOPS.c.slug == bindparam("stop"))
    .values({column: column + 1}).returning(column)
    for audience, column in ((Audience.STOP, STOPS.c.public_sequence),
                             (Audience.MODERATORS, STOPS.c.console_sequence))
}


def numbered(outcome: Outcome) -> Outcome:
    """The outcome with its events numbered: call inside the change's write transaction,
    after its last write, so the number and the change are committed together."""
    # Events of an earlier change carried along (the assistant's reading that an approval
    # waited for) keep the number their own change got.
    fresh = [event for event in outcome.events
             if event.audience in COUNTERS and "seq" not in event.data]
    concerned = {(event.audience, event.target) for event in fresh}
    fresh_ids = {id(event) for event in fresh}
    connection = db.session.connection()
    numbers = {(audience, slug): connection.execute(COUNTERS[audience], {"stop": slug}).scalar_one()
               for audience, slug in sorted(concerned)}
    if not numbers:
        return outcome
    return dataclasses.replace(outcome, events=[
        dataclasses.replace(event, data={**event.data,
                                         "seq": numbers[event.audience, event.target]})
        if id(event) in fresh_ids else event
        for event in outcome.events
    ])
