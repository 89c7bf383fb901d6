"""Socket.IO's transport made to fail fast: a broken, oversized or greedy socket is closed at
once, and never holds a connection or the worker (docs/security.md, Availability).

Small adaptations of python-engineio and python-socketio, each with the reason it exists, each
applied to this server's own objects (its event handlers, its disconnect method, the WebSocket
class it uses, each socket's receive) and never to the libraries' classes.
"""

from __future__ import annotations

import contextlib
import io
import urllib.parse
from collections.abc import Callable, Iterable

import engineio
import engineio.exceptions
import socketio
from engineio.payload import Payload

from caravane.transport.budget import TokenBucket
from caravane.transport.notices import describe, notices
from caravane.transport.turns import RELEASE, Turns, address_of

# Keys that caravane adds to a connection's WSGI environ, which python-socketio keeps for as long
# as the connection lives (server.environ[eio_sid]): no table of our own to clean up.
BUDGET = "caravane.event_budget"
COUNTED = "caravane.counted_socket"
# Where the WSGI layer learns a WebSocket's engine.io session id: a dict that EngineIOGuard puts
# in the request's environ and on_connect fills. Flask-SocketIO hands engine.io a copy of the
# environ, so a plain value written inside would not be seen outside; the dict is shared.
SESSION = "caravane.engineio_session"


def install(server: socketio.Server, *, burst: float, rate: float, line: Turns | None,
            sockets_per_address: int) -> bool:
    """Every adaptation below, on this server. Whether a WebSocket gives its turn back once its
    handshake is over (with simple-websocket, engine.io's default here)."""
    close_without_waiting(server.eio)
    adapted = limit_websocket_handshakes(server.eio)
    guard_sockets(server, burst, rate, line, sockets_per_address)
    return adapted


def close_without_waiting(eio: engineio.Server) -> None:
    """engine.io's Server.disconnect(sid) closes the session, then waits until the client has read
    every packet still queued for it (Socket.close(wait=True)). A long-polling client reads them
    with its next GET; one that sent a last POST and stopped polling never does, so the request
    that caused the disconnect (a POST over the 16 kB limit, an unknown packet type) was never
    answered and held its connection for good: 12,000 such POSTs took every connection of the
    worker, still held minutes after the attacker left (issue 13, finding 1).

    Closed without waiting, the packets stay queued for a poll that may still come, and over
    WebSocket the writer still sends them before it closes the connection."""
    disconnect_all = eio.disconnect

    def disconnect(sid: str | None = None) -> None:
        if sid is None:
            disconnect_all()  # shutting down: every socket, as engine.io does it
            return
        socket = eio.sockets.pop(sid, None)
        if socket is not None:
            socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)

    eio.disconnect = disconnect


def limit_websocket_handshakes(eio: engineio.Server) -> bool:
    """Two things engine.io's WebSocket wrapper (simple-websocket) does not do:

    - limit a message's size while it arrives: engine.io checks max_http_buffer_size only once a
      message is whole, and simple-websocket, without a limit of its own, would gather one of
      any size in memory. Given engine.io's limit, it closes the connection past 16 kB.
    - give the address's turn back (transport.turns) once the handshake is over: a WebSocket
      holds a turn while it is set up, the costly part of a socket, and none while it waits.
    - close quietly a connection that is already gone, instead of a traceback for each."""
    try:
        from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
    except ImportError:  # pragma: no cover - another engine.io layout: leave it as it is
        return False
    websocket = eio._async.get("websocket")
    if not (isinstance(websocket, type) and issubclass(websocket, SimpleWebSocketWSGI)):
        return False  # gevent-websocket, or no WebSocket at all: nothing to adapt
    limit = eio.max_http_buffer_size

    class WebSocket(websocket):
        def __init__(self, handler: Callable, server: engineio.Server) -> None:
            super().__init__(self._after_handshake(handler), server)
            self.server_args["max_message_size"] = limit
            self.handshake_environ: dict = {}

        def __call__(self, environ: dict, start_response: Callable) -> object:
            self.handshake_environ = environ
            return super().__call__(environ, start_response)

        def close(self) -> None:
            # engine.io's writer closes the WebSocket when the session ends; when the connection
            # is already gone (a broken packet ended the request first), say nothing.
            with contextlib.suppress(OSError):
                super().close()

        def _after_handshake(self, handler: Callable) -> Callable:
            def run(ws: object) -> object:
                self.handshake_environ.pop(RELEASE, lambda: None)()
                return handler(ws)
            return run

    eio._async = {**eio._async, "websocket": WebSocket}
    return True


MODERATION = "/moderation"
MODERATION_EVENT = f"2{MODERATION},"  # a Socket.IO EVENT packet of that namespace


def event_lane(server: socketio.Server, eio_sid: str, data: object) -> str:
    """The line a socket event waits in, within its address's (transport.turns). Moderators'
    events have one of their own: a venue's phones share its address with the moderators'
    laptops, and 1,000 phones rejoining at once must not hold up "Question suivante" (measured:
    bench/herd.py). Only a socket connected to /moderation, so signed in, gets it."""
    if (isinstance(data, str) and data.startswith(MODERATION_EVENT)
            and server.manager.sid_from_eio_sid(eio_sid, MODERATION) is not None):
        return "moderation:"
    return ""


def guard_sockets(server: socketio.Server, burst: float, rate: float, line: Turns | None,
                  sockets_per_address: int) -> None:
    """Wrap engine.io's three events, where python-socketio learns of a socket, receives what
    it sends (decoding the Socket.IO packet and dispatching the event) and learns of its end
    (where the socket no longer counts towards its address's cap).

    - Sockets per address: an address holding `sockets_per_address` sockets (long-polling or
      WebSocket, counted by the address the application sees) is refused a new one.
    - Budget: every packet (connect, join, submit, vote, moderate...) takes a token from its
      socket's bucket; a socket that finds it empty is closed. 3,000 joins from one socket used
      to run side by side and stall every other client (issue 13, finding 3).
    - One at a time, in turn: events are handled in the socket's own reader, one after the
      other (`async_handlers` off), each in a turn of its address's line (transport.turns), and
      the reader yields to every other ready green thread after each one. A flood from one
      socket then waits in its own TCP buffer instead of queueing thousands of handlers ahead
      of everyone else's; a flood from many sockets of one address waits in its line.
    - Malformed packets: whatever makes the dispatch fail (bad JSON, unknown packet type, an
      event that is not a list) is written as one short line, rate-limited, and closes the
      socket, where engine.io logged a full traceback each time and kept the socket open
      (finding 4). Event handlers answer their own errors (realtime.acknowledged): what reaches
      this point comes from the packet."""
    eio = server.eio
    server.async_handlers = False
    connect, dispatch = eio.handlers["connect"], eio.handlers["message"]
    disconnect = eio.handlers["disconnect"]
    held: dict[str, int] = {}

    def in_turn(environ: dict, lane: str = "") -> contextlib.AbstractContextManager:
        return line.turn(environ, lane) if line else contextlib.nullcontext()


    def on_connect(eio_sid: str, environ: dict) -> object:
        if sockets_per_address > 0:
            key = address_of(environ)
            if held.get(key, 0) >= sockets_per_address:
                notices.note("sockets", f"socket refused: one address already holds "
                                        f"{sockets_per_address} sockets")
                return False
            held[key] = held.get(key, 0) + 1
            environ[COUNTED] = True
        if SESSION in environ:
            environ[SESSION]["sid"] = eio_sid
        socket = eio.sockets.get(eio_sid)
        if socket is not None:
            socket.receive = _closing_on_unknown_packets(eio, eio_sid, socket.receive)
        return connect(eio_sid, environ)

    def on_message(eio_sid: str, data: object) -> None:
        environ = server.environ.get(eio_sid)
        socket = eio.sockets.get(eio_sid)
        if environ is None or socket is None or socket.closing or socket.closed:
            return  # closed already: what was still buffered behind it is dropped
        bucket = environ.get(BUDGET)
        if bucket is None:
            bucket = environ[BUDGET] = TokenBucket(burst, rate)
        if not bucket.take():
            notices.note("budget", "socket closed: it sent more events than its budget allows")
            eio.disconnect(eio_sid)
            return
        with in_turn(environ, event_lane(server, eio_sid, data)):
            try:
                dispatch(eio_sid, data)
            except Exception as error:
                notices.note("malformed-socketio", f"socket closed: malformed Socket.IO "
                                                   f"packet ({describe(error)})")
                eio.disconnect(eio_sid)
                return
        eio.sleep(0)

    def on_disconnect(eio_sid: str, reason: object = None) -> None:
        environ = server.environ.get(eio_sid) or {}
        if environ.pop(COUNTED, False):
            key = address_of(environ)
            if held.get(key, 0) > 1:
                held[key] -= 1
            else:
                held.pop(key, None)
        disconnect(eio_sid, reason)

    eio.on("connect", on_connect)
    eio.on("message", on_message)
    eio.on("disconnect", on_disconnect)


def _closing_on_unknown_packets(eio: engineio.Server, eio_sid: str,
                                receive: Callable) -> Callable:
    """An Engine.IO packet of a type that does not exist is ignored by engine.io over WebSocket
    (and ends the session over long-polling): close the socket in both cases, as for any other
    broken packet."""

    def guarded(pkt: object) -> None:
        try:
            receive(pkt)
        except engineio.exceptions.UnknownPacketError:
            notices.note("unknown-engineio", "socket closed: unknown Engine.IO packet type")
            eio.disconnect(eio_sid)

    return guarded


class EngineIOGuard:
    """WSGI wrapper around the Socket.IO endpoint, for the two kinds of broken Engine.IO input
    that never reach the message handler above:

    - a long-polling POST whose payload does not decode: engine.io logged a traceback
      ("post request handler error"), answered 200 and kept the session. Here it is decoded
      first (the body is already in memory, read by transport.bodies); a broken one is answered
      400, closes its session, and leaves one short line.
    - a WebSocket frame that is not an Engine.IO packet (empty, not starting with a digit):
      engine.io decodes it outside any try, so the exception left the WSGI app and gunicorn
      logged a traceback for each. Here it is one short line, the session is closed, and the
      connection ends the way engine.io ends every WebSocket under gunicorn (StopIteration:
      closed without an HTTP response, the upgrade having been answered already)."""

    def __init__(self, app: Callable, eio: engineio.Server, path: str = "/socket.io/") -> None:
        self.app, self.eio, self.path = app, eio, path

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") == "POST":
            refused = self._check_payload(environ, start_response)
            if refused is not None:
                return refused
        session = environ[SESSION] = {}
        try:
            return self.app(environ, start_response)
        except StopIteration:
            raise  # how every WebSocket ends under gunicorn, broken or not
        except Exception as error:
            if environ.get("HTTP_UPGRADE", "").lower() != "websocket":
                raise
            notices.note("malformed-websocket", f"WebSocket closed: malformed Engine.IO packet "
                                      f"({describe(error)})")
            if "sid" in session:
                self.eio.disconnect(session["sid"])
            if "gunicorn.socket" in environ:
                raise StopIteration from None
            raise

    def close_session(self, environ: dict) -> None:
        """End the long-polling session a request was sent to, if it names one."""
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        sid = (query.get("sid") or [None])[0]
        if sid:
            self.eio.disconnect(sid)

    def _check_payload(self, environ: dict, start_response: Callable) -> list[bytes] | None:
        body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            Payload(encoded_payload=body.decode("utf-8"))
        except Exception as error:  # any decoding failure is the client's: refuse it
            notices.note("malformed-polling", f"long-polling request refused: malformed Engine.IO "
                                      f"payload ({describe(error)})")
            self.close_session(environ)
            start_response("400 BAD REQUEST", [("Content-Type", "text/plain")])
            return [b'"Bad Request"']
        return None
