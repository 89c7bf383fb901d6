"""When several processes share a message queue: each second, watch the queue and tell this
process's consoles when it stops or starts answering; every few seconds, tell this process's
pages the latest sequence number of each stop that changed (board/sequence.py).

Events between processes go through the queue, and an outage loses them. A page compares the
number it is told with the last one it holds, and asks for the board again when it is behind;
the beat goes straight to this process's own sockets, never through the queue, so pages heal
while the queue is still down. With one process (no queue) nothing can be lost between
processes, and no beat runs.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import select

from caravane.board.events import Audience
from caravane.board.publisher import MODERATION, PUBLIC, stop_room
from caravane.extensions import db, socketio
from caravane.tour.models import Stop

log = logging.getLogger(__name__)

TICK = 1.0  # seconds between two looks at the queue
SYNC_EVERY = 3  # ticks between two sequence beats


class Beat:
    def __init__(self, app: Flask, manager):
        self.app, self.manager = app, manager
        self.told: dict[tuple[str, str], int] = {}
        self.answering = True
        self.resubscribed = manager.resubscribed
        self.ticks = 0

    def run(self) -> None:
        while True:
            try:
                self.tick()
            except Exception:
                log.exception("beat: skipped a tick")
            socketio.sleep(TICK)

    def tick(self) -> None:
        answering = self.manager.watch()
        # Said each second while the queue is down (a console opened meanwhile must hear it
        # too; consoles are few), and once when it answers again.
        if not answering or not self.answering:
            socketio.emit("queue:status", {"answering": answering}, namespace=MODERATION,
                          ignore_queue=True)
        self.answering = answering
        recheck = self.manager.resubscribed != self.resubscribed
        self.resubscribed = self.manager.resubscribed
        self.ticks += 1
        if recheck or self.ticks % SYNC_EVERY == 0:
            with self.app.app_context():
                self.sync(recheck)
                db.session.remove()

    def sync(self, recheck: bool = False) -> None:
        """Tell this process's pages each stop's latest numbers, where they moved since the
        last beat; `recheck` (this process heard nothing from the others for a while) tells
        them all, and asks attendees to refresh their own questions too."""
        public, consoles = self._local_rooms()
        slugs = set(public) | set(consoles)
        if not slugs:
            return
        rows = db.session.execute(
            select(Stop.slug, Stop.public_sequence, Stop.console_sequence)
            .where(Stop.slug.in_(slugs))).all()
        for slug, public_sequence, console_sequence in rows:
            if slug in public and (recheck or self._moved(Audience.STOP, slug, public_sequence)):
                socketio.emit("board:sync", {"seq": public_sequence, "recheck": recheck},
                              to=stop_room(slug), namespace=PUBLIC, ignore_queue=True)
            if slug in consoles and (
                    recheck or self._moved(Audience.MODERATORS, slug, console_sequence)):
                for room in consoles[slug]:
                    socketio.emit("board:sync", {"seq": console_sequence}, to=room,
                                  namespace=MODERATION, ignore_queue=True)

    def _moved(self, audience: Audience, slug: str, sequence: int) -> bool:
        moved = self.told.get((audience, slug)) != sequence
        self.told[audience, slug] = sequence
        return moved

    def _local_rooms(self) -> tuple[set[str], dict[str, list[str]]]:
        """The stops this process's phones and consoles look at, from its own rooms
        (`stop:<slug>`, and `moderators:<slug>:<locale>`: see board/publisher.py)."""
        rooms = self.manager.rooms
        public = {room.removeprefix("stop:") for room in list(rooms.get(PUBLIC, {}))
                  if isinstance(room, str) and room.startswith("stop:")}
        consoles: dict[str, list[str]] = {}
        for room in list(rooms.get(MODERATION, {})):
            if isinstance(room, str) and room.startswith(f"{Audience.MODERATORS}:"):
                slug = room.split(":")[1]
                consoles.setdefault(slug, []).append(room)
        return public, consoles


def start(app: Flask) -> None:
    """Start the beat in a serving process that shares a message queue (wsgi.py)."""
    manager = socketio.server.manager
    if hasattr(manager, "watch"):
        socketio.start_background_task(Beat(app, manager).run)
