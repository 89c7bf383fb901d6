"""The moderation assistant reads each question right after its author has the answer.

Analysing a question costs a few milliseconds of CPU (more on a full board): done inside the
submit, it slowed every acknowledgement and the storm of a debate's opening minutes. So a
question is stored first (`analysed` false, the console says "analysing"), and one worker per
serving process reads the stored questions in arrival order and sends their flags to the
consoles. A process that stopped with questions still unread reads them when it starts again
(`resume`).

Moving the work after the acknowledgement is not enough on one core: the worker would take the
same CPU from the next acknowledgements (measured: 115–131 questions/s either way). So under
gevent it reads only when the event loop has nothing else to do, or once a question has waited
MAX_DELAY: in a storm the phones are answered first and the consoles get the flags seconds
later (docs/assistant.md, "Performance").
"""

from __future__ import annotations

import logging
import queue
import threading
import time

from flask import Flask, current_app
from sqlalchemy import select

from caravane.board import rules
from caravane.board.models import Question
from caravane.board.publisher import publish
from caravane.extensions import db, socketio

log = logging.getLogger(__name__)
# A worker with nothing to read for this long ends; the next question starts another.
IDLE_SECONDS = 30
# The longest a question waits for a quiet moment before it is read anyway.
MAX_DELAY = 5.0


class Reader:
    """One process's queue of stored questions waiting for the moderation assistant."""

    def __init__(self, app: Flask):
        self.app = app
        self.waiting: queue.Queue[tuple[int, float]] = queue.Queue()
        self.running = False
        self.lock = threading.Lock()

    def schedule(self, question_ids: list[int]) -> None:
        for question_id in question_ids:
            self.waiting.put((question_id, time.monotonic()))
        with self.lock:
            if question_ids and not self.running:
                self.running = True
                socketio.start_background_task(self._work)

    def idle(self) -> bool:
        return self.waiting.unfinished_tasks == 0

    def _work(self) -> None:
        while True:
            try:
                question_id, queued_at = self.waiting.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self.lock:
                    if self.waiting.empty():
                        self.running = False
                        return
                continue
            _quiet_moment(until=queued_at + MAX_DELAY)
            try:
                with self.app.app_context():
                    try:
                        publish(rules.analyse(question_id).events)
                    finally:
                        db.session.remove()
            except Exception:
                # The question stays stored and shown as "analysing"; a restart reads it again.
                log.exception("moderation assistant: question %s could not be analysed",
                              question_id)
            finally:
                self.waiting.task_done()


def _quiet_moment(until: float) -> None:
    """Wait until the event loop has nothing else to do, or until `until` (monotonic)."""
    remaining = until - time.monotonic()
    if socketio.server.async_mode.startswith("gevent") and remaining > 0:
        import gevent

        with gevent.Timeout(remaining, False):
            gevent.idle()
    else:
        socketio.sleep(0)


def init_analysis(app: Flask) -> None:
    app.extensions["caravane_analysis"] = Reader(app)


def _reader(app: Flask | None = None) -> Reader:
    return (app or current_app).extensions["caravane_analysis"]


def schedule(question_ids: list[int]) -> None:
    """Queue stored questions for the moderation assistant (from within the app context)."""
    if question_ids:
        _reader().schedule(question_ids)


def resume(app: Flask) -> None:
    """Queue the questions a stopped process left unread (called by the serving process)."""
    with app.app_context():
        unread = db.session.scalars(
            select(Question.id).filter_by(analysed=False).order_by(Question.id)).all()
        db.session.remove()
    _reader(app).schedule(list(unread))


def wait_until_read(app: Flask, timeout: float = 60) -> bool:
    """True once every queued question has been read (tests and benchmarks wait on this)."""
    deadline = time.monotonic() + timeout
    while not _reader(app).idle():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
