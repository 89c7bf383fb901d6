"""Error pages in the reader's language."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def expired_form_page():
    return _page(400, gettext("Formulaire expiré"),
                 gettext("La page a expiré : rechargez-la puis recommencez."))


def init_errors(app: Flask) -> None:
    @app.errorhandler(SecurityError)
    def untrusted_host(_error):
        # The Host header is not one this site answers to (config.py): a short page without
        # the header's value, and without links (none could be written for that host).
        return render_template("errors/host.html"), 400

    @app.errorhandler(403)
    def forbidden(_error):
        return _page(403, gettext("Accès réservé"),
                     gettext("Votre compte ne modère pas cette étape. Demandez à l'équipe "
                             "organisatrice d'y avoir accès."))

    @app.errorhandler(404)
    def not_found(_error):
        return _page(404, gettext("Page introuvable"), gettext("Cette page n'existe pas, ou plus."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return expired_form_page()

    @app.errorhandler(429)
    def too_many(_error):
        return _page(429, gettext("Trop de demandes"),
                     gettext("Patientez une minute avant de recommencer."))

    @app.errorhandler(500)
    def server_error(_error):
        return _page(500, gettext("Erreur du serveur"),
                     gettext("Quelque chose s'est mal passé de notre côté."))
