"""GET /healthz: whether this process can serve, for nginx and the operator."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from caravane.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
