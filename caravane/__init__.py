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
    if app.config.get("MESSAGE_QUEUE"):
        # Several processes that cannot hear each other would show the room a false board:
        # refuse to start, in one line, before anything uses the queue (transport/queue.py).
        from caravane.transport import queue

        queue.check(app.config["MESSAGE_QUEUE"])

    from caravane import cli, errors, health, i18n, links_in_text, page_cache, security, storage
    from caravane.accounts import views as accounts_views
    from caravane.board import analysis, attendee, console, projector, sockets
    from caravane.extensions import compress, csrf, db, limiter, migrate
    from caravane.record import views as record_views
    from caravane.tour import views as tour_views
    from caravane.transport import init_transport

    db.init_app(app)
    storage.init_storage(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    accounts_views.init_accounts(app)
    i18n.init_i18n(app)
    page_cache.init_page_cache(app)
    links_in_text.init_links_in_text(app)
    security.init_security(app)
    errors.init_errors(app)
    for blueprint in (tour_views.bp, console.bp, attendee.bp, projector.bp, record_views.bp,
                      health.bp):
        app.register_blueprint(blueprint)
    sockets.init_sockets(app)
    analysis.init_analysis(app)
    # After Socket.IO wrapped the app: sockets see the proxied address too.
    security.trust_proxies(app)
    # Outermost: limits on bodies, connections and socket events guard everything inside.
    init_transport(app)
    cli.register(app)
    return app
