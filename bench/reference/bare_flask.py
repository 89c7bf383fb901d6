"""The raw path: a bare Flask-SocketIO server doing only the fan-out of server.js (same events),
served exactly as caravane is (gunicorn, the same worker). No database, no logic: what caravane
measures above this is what the application itself adds."""

from flask import Flask
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
# caravane's worker caps the connections of one address (3,000 by default, read from the app's
# config); every benchmark client comes from 127.0.0.1, so it is lifted here as for caravane.
app.config["CONNECTIONS_PER_ADDRESS"] = 0
socketio = SocketIO(app, ping_interval=10, ping_timeout=10)


@socketio.on("join")
def join(data):
    join_room(f"stop:{data.get('stop')}")
    return {"ok": True}


@socketio.on("show")
def show(data):
    payload = {"stop": data["stop"], "question": data["question"]}
    socketio.emit("screen:changed", payload, to=f"stop:{data['stop']}")
    return {"ok": True}
