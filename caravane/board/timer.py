"""The answer timer: a countdown a moderator starts, pauses and resets, stored on the stop.

Plain rules over the stop row (no HTTP, no Socket.IO). The stop keeps the timer's length,
what was left when it was last paused, and since when it runs (None: paused or reset), so a
projector reloaded mid-answer finds it again. Clients receive whole states with the server's
clock (`server_now`) and tick locally: no event per second.
"""

from __future__ import annotations

from datetime import UTC, datetime

from caravane.accounts.models import Moderator
from caravane.board import events
from caravane.board.events import Audience, Outcome
from caravane.board.inputs import TimerCommand
from caravane.board.rules import find_stop, granted
from caravane.board.sequence import numbered
from caravane.storage import utcnow, write_transaction
from caravane.tour.models import Stop


def _epoch_ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


def left_ms(stop: Stop, now: datetime) -> int:
    """What is left of the countdown at `now` (naive UTC), never below zero."""
    if stop.timer_since is None:
        return max(0, stop.timer_left_ms)
    elapsed = int((now - stop.timer_since).total_seconds() * 1000)
    return max(0, stop.timer_left_ms - elapsed)


def timer_state(stop: Stop, now: datetime) -> dict:
    """The timer as clients receive it. `running`: started and not paused (it stays true at
    zero until someone pauses or resets it); `ends_at` (epoch ms) only while running;
    `server_now` lets a client correct its own clock."""
    running = stop.timer_since is not None
    state = {
        "stop": stop.slug, "running": running, "left_ms": left_ms(stop, now),
        "seconds": stop.timer_seconds, "server_now": _epoch_ms(now),
    }
    if running:
        state["ends_at"] = _epoch_ms(stop.timer_since) + stop.timer_left_ms
    return state


def _start(stop: Stop, now: datetime) -> None:
    if stop.timer_since is not None and left_ms(stop, now) > 0:
        return
    # Started at zero (time was up): a new answer, the whole length again.
    stop.timer_left_ms = left_ms(stop, now) or stop.timer_seconds * 1000
    stop.timer_since = now


def _pause(stop: Stop, now: datetime) -> None:
    if stop.timer_since is None:
        return
    stop.timer_left_ms = left_ms(stop, now)
    stop.timer_since = None


def _reset(stop: Stop, seconds: int | None) -> None:
    if seconds is not None:
        stop.timer_seconds = seconds
    stop.timer_left_ms = stop.timer_seconds * 1000
    stop.timer_since = None


def command_timer(command: TimerCommand, actor: Moderator) -> Outcome:
    """Start, pause or reset a stop's timer, in one write on the locked stop. A command that
    changes nothing (starting a running timer, pausing a paused one) tells nobody."""
    with write_transaction():
        stop = granted(actor, find_stop(command.stop, lock=True))
        now = utcnow()
        before = (stop.timer_seconds, stop.timer_left_ms, stop.timer_since)
        if command.command == "start":
            _start(stop, now)
        elif command.command == "pause":
            _pause(stop, now)
        else:
            _reset(stop, command.seconds)
        state = timer_state(stop, now)
        if (stop.timer_seconds, stop.timer_left_ms, stop.timer_since) == before:
            return Outcome({"timer": state})
        outcome = numbered(Outcome({"timer": state}, events.timer_changed(stop, state)))
        # The acting console applies its answer at once; with the consoles' number of this
        # change, an older event arriving after it is not applied over it.
        seq = next(event.data["seq"] for event in outcome.events
                   if event.audience is Audience.MODERATORS)
        return Outcome({"timer": {**state, "seq": seq}}, outcome.events)
