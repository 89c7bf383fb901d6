"""The one way the board refuses a request: a stable code, and values for its message."""

from __future__ import annotations


class BoardError(Exception):
    """A refused request. `code` is stable (clients and tests match it); params fill the message
    (board/messages.py words it in the reader's language)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params
