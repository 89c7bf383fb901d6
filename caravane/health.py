"""GET /healthz: whether this process can serve, for nginx and the operator."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from caravane.extensions import db, socketio

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return {"status": "unavailable", "reason": "database"}, 503
    # With several processes, one that cannot reach the message queue shows its phones a
    # board the others no longer update: unhealthy too (transport/queue.py pings it now).
    manager = socketio.server.manager
    watch = getattr(manager, "watch", None)
    if watch is not None and not watch():
        return {"status": "unavailable",
                "reason": f"message queue: {manager.problem or 'no answer'}"}, 503
    return {"status": "ok"}
