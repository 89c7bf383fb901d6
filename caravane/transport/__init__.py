"""What stands between the network and the application: limits on connections, request bodies
and socket events, and brief logs of broken input, so that one hostile client cannot take the
site from everyone else (docs/security.md, Availability).

- `bodies`: request bodies read whole, within a size and a time limit, before the app runs;
- `turns`: work from one address takes turns, so that a flood from it cannot crowd others out;
- `sockets`: sockets per address capped; a socket closed at once when broken, oversized or over
  its event budget;
- `broadcast`: a room-wide event's WebSocket frame built once and written straight to each
  phone's socket (performance, not protection: docs/deploy.md, Fan-out);
- `worker`: gunicorn's gevent worker, with a cap on connections per address;
- `logs`: gunicorn's and engine.io's logs, brief and without addresses.

Settings (CARAVANE_ environment variables, like every other): CONNECTIONS_PER_ADDRESS,
REQUESTS_PER_ADDRESS, BODY_TIMEOUT, SOCKET_EVENT_BURST, SOCKET_EVENTS_PER_SECOND; defaults
below and in turns.py. DIRECT_FRAMES=false turns `broadcast` off.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext

# Connections and sockets one address may hold at once: a quarter of the worker's 12,000. A hall
# full of phones behind one venue NAT holds far fewer (one WebSocket each, a few more for seconds
# while a page loads); an address that reaches it leaves three quarters to everyone else.
CONNECTIONS_PER_ADDRESS = 3000
# Seconds for a whole request body to arrive: a question and its form fit in one packet, and a
# phone on a crowded venue Wi-Fi sends 64 kB in well under that.
BODY_TIMEOUT = 10.0
# Socket events: a phone sends a handful (connect, join, a question, a few supports) and a
# console a burst of moderation clicks; both stay far below 100 at once and 5 a second.
SOCKET_EVENT_BURST = 100
SOCKET_EVENTS_PER_SECOND = 5.0


def init_transport(app: Flask) -> None:
    """Put the guards in place; call once Socket.IO is set up (it wraps what init_realtime
    built, and must stay the outermost layer)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from caravane.extensions import socketio
    from caravane.transport import bodies, broadcast, logs, rooms, sockets, turns

    config = app.config
    server = socketio.server
    per_address = int(config.get("REQUESTS_PER_ADDRESS", turns.REQUESTS_PER_ADDRESS) or 0)
    line = turns.Turns(per_address) if per_address > 0 else None
    websockets_give_turns_back = sockets.install(
        server,
        burst=float(config.get("SOCKET_EVENT_BURST", SOCKET_EVENT_BURST)),
        rate=float(config.get("SOCKET_EVENTS_PER_SECOND", SOCKET_EVENTS_PER_SECOND)),
        line=line,
        sockets_per_address=int(config.get("CONNECTIONS_PER_ADDRESS",
                                           CONNECTIONS_PER_ADDRESS) or 0),
    )
    if config.get("DIRECT_FRAMES", True):
        # After sockets.install: it adapts the same WebSocket class, which this one extends.
        broadcast.install(server)
    if server.async_mode != "threading":
        # Green threads only: the index briefly swaps python-socketio's room table, which no
        # other green thread can see in between, but another OS thread could.
        rooms.index_rooms(server.manager)
    logs.quiet_socket_libraries()

    # Inside ProxyFix when there is one, so that turns go by the client's address.
    proxy = app.wsgi_app if isinstance(app.wsgi_app, ProxyFix) else None
    guard = sockets.EngineIOGuard(proxy.app if proxy else app.wsgi_app, server.eio)
    guarded = line.wrap(guard, websockets=websockets_give_turns_back) if line else guard
    if proxy:
        proxy.app = guarded
    else:
        app.wsgi_app = guarded
    app.wsgi_app = bodies.BodyLimit(
        app, app.wsgi_app,
        socketio_limit=server.eio.max_http_buffer_size,
        page_limit=int(config["MAX_CONTENT_LENGTH"]),
        timeout=float(config.get("BODY_TIMEOUT", BODY_TIMEOUT)),
        deadlines=config.get("ASYNC_MODE") == "gevent",
        on_socketio_refusal=guard.close_session,
        # Outside ProxyFix, the address is the proxy's when there is one: then refusals share
        # one line, and nginx refuses most of them itself.
        line=line,
    )

    @app.errorhandler(408)
    def too_slow(_error):
        return render_template("errors/error.html", status=408,
                               title=gettext("Connexion trop lente"),
                               message=gettext("L'envoi a pris trop de temps : réessayez.")), 408

    @app.errorhandler(413)
    def too_large(_error):
        return render_template("errors/error.html", status=413,
                               title=gettext("Envoi trop volumineux"),
                               message=gettext("Ce que vous avez envoyé est trop long.")), 413
