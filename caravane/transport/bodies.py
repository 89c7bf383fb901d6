"""Request bodies read whole before anything else sees them, within a size and a time limit
(docs/security.md, Availability).

gunicorn gives the application a request body as it arrives, with no deadline: a POST sending
one byte every 5 seconds held its connection for as long as the client liked (500 of them were
all still held after 120 s), and a long-polling POST over engine.io's 16 kB limit was never
answered. Here every body is read first, under a deadline, up to the limit of where it goes
(16 kB for Socket.IO, MAX_CONTENT_LENGTH for pages); whatever is too large or too slow is
answered at once (413, 408) and its connection closed.
"""

from __future__ import annotations

import contextlib
import io
import socket
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus

from flask import Flask
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, RequestTimeout

from caravane.transport.turns import Turns


class BodyTimeout(Exception):
    """The body did not arrive within the deadline."""


class BodyLimit:
    """WSGI middleware: bodies in memory before the application runs, or a refusal."""

    def __init__(self, app: Flask, wsgi_app: Callable, *, socketio_limit: int, page_limit: int,
                 timeout: float, deadlines: bool, socketio_path: str = "/socket.io/",
                 on_socketio_refusal: Callable[[dict], None] = lambda environ: None,
                 line: Turns | None = None) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.on_socketio_refusal, self.line = on_socketio_refusal, line
        self.socketio_limit, self.page_limit = socketio_limit, page_limit
        self.timeout, self.socketio_path = timeout, socketio_path
        # A deadline can only interrupt a read that yields to gevent's hub (`caravane serve`);
        # the development server and the tests' in-process clients have nothing to wait for.
        self.deadline = _gevent_deadline if deadlines else _no_deadline

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        declared = environ.get("CONTENT_LENGTH") or ""
        if not chunked and declared in ("", "0"):
            return self.wsgi_app(environ, start_response)
        socketio = environ.get("PATH_INFO", "").startswith(self.socketio_path)
        limit = self.socketio_limit if socketio else self.page_limit
        try:
            length = None if chunked else int(declared)
        except ValueError:
            length = limit + 1  # gunicorn refuses these first; count them as too large
        if length is not None and length > limit:
            return self.refuse(environ, start_response, RequestEntityTooLarge())
        try:
            with self.deadline(self.timeout):
                body = environ["wsgi.input"].read(limit + 1 if length is None else length)
        except BodyTimeout:
            return self.refuse(environ, start_response, RequestTimeout())
        except OSError:  # the client went away before its body was whole
            return self.refuse(environ, start_response, RequestTimeout())
        if len(body) > limit:
            return self.refuse(environ, start_response, RequestEntityTooLarge())
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.wsgi_app(environ, start_response)

    def refuse(self, environ: dict, start_response: Callable,
               error: HTTPException) -> Iterable[bytes]:
        """Answer now, then close the connection: the rest of the body is never read."""
        environ["wsgi.input"] = io.BytesIO(b"")
        environ["CONTENT_LENGTH"] = "0"
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        if environ.get("PATH_INFO", "").startswith(self.socketio_path):
            # engine.io ends a session that sends too much; Socket.IO clients read the status
            # only: no page to render.
            self.on_socketio_refusal(environ)
            phrase = HTTPStatus(error.code).phrase
            start_response(f"{error.code} {phrase}", [("Content-Type", "text/plain")])
            body: Iterable[bytes] = [f'"{phrase}"'.encode()]
        else:
            body = self._error_page(environ, error)(environ, start_response)
        return _CloseAfter(body, environ)

    def _error_page(self, environ: dict, error: HTTPException):
        """The site's own error page, in the visitor's language, with the usual headers; in a
        turn of the address's line, like any page (transport.turns), so that a flood of
        refusals waits in its own line too."""
        in_turn = self.line.turn(environ) if self.line else contextlib.nullcontext()
        with in_turn, self.app.request_context(environ):
            response = self.app.make_response(self.app.handle_user_exception(error))
            return self.app.process_response(response)


class _CloseAfter:
    """The response body, and once it is sent, the end of the connection: gunicorn ignores a
    Connection header set by the application, so the socket's sending side is shut down here.
    The client sees the answer and then the end; gunicorn drops what is left of the body while
    it waits for a next request that cannot come, within its keep-alive timeout (2 s)."""

    def __init__(self, body: Iterable[bytes], environ: dict) -> None:
        self.body, self.environ = body, environ

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        with contextlib.suppress(AttributeError):
            self.body.close()  # type: ignore[union-attr]
        connection = self.environ.get("gunicorn.socket")
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def _gevent_deadline(seconds: float) -> Iterator[None]:
    import gevent

    with gevent.Timeout(seconds, BodyTimeout):
        yield


@contextlib.contextmanager
def _no_deadline(_seconds: float) -> Iterator[None]:
    yield
