"""Short log lines about hostile or broken input: one line per kind at most every few seconds,
never a traceback, never an address (docs/security.md, Availability).

A script can send thousands of broken packets a second; a traceback for each filled the log
(2,000 packets wrote 2.4 MiB). Here each kind of trouble gets one line per interval, which says
how many more of the same were left out since the previous one.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback

log = logging.getLogger("caravane.transport")

INTERVAL = 10.0  # seconds between two lines of the same kind


class Notices:
    """Rate-limited one-line warnings, counted per kind."""

    def __init__(self, logger: logging.Logger = log, interval: float = INTERVAL) -> None:
        self.logger, self.interval = logger, interval
        self._last: dict[str, float] = {}
        self._left_out: dict[str, int] = {}
        self._lock = threading.Lock()

    def allow(self, kind: str) -> tuple[bool, int]:
        """Whether a line of this kind may be written now, and how many were left out before."""
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(kind, -self.interval) < self.interval:
                self._left_out[kind] = self._left_out.get(kind, 0) + 1
                return False, 0
            self._last[kind] = now
            return True, self._left_out.pop(kind, 0)

    def note(self, kind: str, message: str) -> None:
        allowed, left_out = self.allow(kind)
        if allowed:
            suffix = f" ({left_out} more since the previous line)" if left_out else ""
            self.logger.warning("%s%s", message, suffix)


def describe(error: BaseException) -> str:
    """The exception's type and where it was raised (file:line), without its message: messages
    can quote what the client sent, and a location is enough to find a bug."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    where = "/".join(last.filename.replace("\\", "/").split("/")[-2:])
    return f"{type(error).__name__} at {where}:{last.lineno}"


notices = Notices()
