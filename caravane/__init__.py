"""caravane: the tour's microsite and its live question board. create_app() wires everything."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from caravane import config

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    config.configure(app, overrides)

    from caravane import cli, i18n, security, storage
    from caravane.extensions import compress, csrf, db, limiter, migrate
    from caravane.realtime import init_realtime
    from caravane.transport import init_transport
    from caravane.views import register_views

    db.init_app(app)
    storage.init_storage(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    i18n.init_i18n(app)
    security.init_security(app)
    register_views(app)
    init_realtime(app)
    init_transport(app)  # after Socket.IO: it wraps the whole WSGI stack
    cli.register(app)
    return app
