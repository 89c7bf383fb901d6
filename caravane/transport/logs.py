"""What the servers underneath caravane log about clients: briefly, and never their address
(docs/privacy.md, docs/security.md).

- gunicorn writes `Invalid request from ip=<address>: ...` for every malformed HTTP request: a
  client's address in the log, and a line per request for whoever sends garbage. Its logger
  class here turns that into one address-free line, rate-limited.
- engine.io logs a full traceback for some broken packets ("post request handler error",
  "message handler error", "Unknown receive error"); caravane's guards catch them first
  (transport.sockets), and this filter is the net behind them: one short line, rate-limited.
"""

from __future__ import annotations

import logging

from gunicorn.glogging import Logger as GunicornLogger

from caravane.transport.notices import Notices, describe

INVALID_REQUEST = "Invalid request from ip="


class AddressFreeRequests(logging.Filter):
    """gunicorn's error log without client addresses: its one line that holds one is rewritten."""

    def __init__(self, notices: Notices | None = None) -> None:
        super().__init__()
        self.notices = notices or Notices(logging.getLogger("gunicorn.error"))

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(INVALID_REQUEST):
            return True
        allowed, left_out = self.notices.allow("invalid-request")
        if not allowed:
            return False
        record.msg = "invalid HTTP request refused" + (
            f" ({left_out} more since the previous line)" if left_out else "")
        record.args = ()
        return True


class Logger(GunicornLogger):
    """gunicorn's logger (`--logger-class caravane.transport.logs.Logger`), address-free."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(AddressFreeRequests())


class BriefTracebacks(logging.Filter):
    """A record with a traceback becomes one line naming the exception and where it was raised,
    at most one per message every few seconds."""

    def __init__(self, notices: Notices | None = None) -> None:
        super().__init__()
        self.notices = notices or Notices()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        allowed, left_out = self.notices.allow(str(record.msg))
        if not allowed:
            return False
        record.msg = f"{record.getMessage()} ({describe(record.exc_info[1])})" + (
            f", {left_out} more since the previous line" if left_out else "")
        record.args = ()
        record.exc_info = record.exc_text = None
        return True


def quiet_socket_libraries() -> None:
    """Brief lines from engine.io and python-socketio, however many broken packets arrive."""
    for name in ("engineio.server", "socketio.server"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, BriefTracebacks) for f in logger.filters):
            logger.addFilter(BriefTracebacks())
