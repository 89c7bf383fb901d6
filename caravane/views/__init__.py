"""The HTTP side: one blueprint per audience, and the error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError

from caravane.extensions import login_manager


def register_views(app: Flask) -> None:
    from caravane.views import board, moderate, screen, site

    app.register_blueprint(site.bp)
    app.register_blueprint(moderate.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(screen.bp)

    login_manager.init_app(app)
    login_manager.login_view = "moderate.login"
    login_manager.login_message = None
    # Sessions are ended by their version number, not by a fingerprint of the address.
    login_manager.session_protection = None

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/error.html", status=404,
                               title=gettext("Page introuvable"),
                               message=gettext("Cette page n'existe pas, ou plus.")), 404

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        if request.endpoint == "board.questions":
            return board.render_board(request.view_args["stop"], form_error="csrf", status=400)
        return render_template("errors/error.html", status=400,
                               title=gettext("Formulaire expiré"),
                               message=gettext("La page a expiré : rechargez-la puis recommencez.")
                               ), 400

    @app.errorhandler(429)
    def too_many(_error):
        return render_template("errors/error.html", status=429,
                               title=gettext("Trop de demandes"),
                               message=gettext("Patientez une minute avant de recommencer.")), 429

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("errors/error.html", status=500,
                               title=gettext("Erreur du serveur"),
                               message=gettext("Quelque chose s'est mal passé de notre côté.")), 500
