"""Signing a moderator in and out."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from caravane.accounts import moderators
from caravane.accounts.forms import LoginForm
from caravane.extensions import limiter, login_manager
from caravane.forms import EmptyForm

bp = Blueprint("accounts", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        moderator = moderators.authenticate(form.login.data, form.password.data)
        if moderator is not None:
            login_user(moderator)
            return redirect(_local(request.args.get("next")) or url_for("tour.tour"), code=303)
        error = gettext("Identifiant ou mot de passe incorrect.")
    elif form.is_submitted():
        error = gettext("Remplissez l'identifiant et le mot de passe.")
    return render_template("accounts/login.html", form=form, error=error), (401 if error else 200)


@bp.post("/deconnexion")
def logout():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        moderators.end_sessions(current_user._get_current_object())
        # Flask-Login's user_logged_out signal closes this moderator's open consoles.
        logout_user()
    return redirect(url_for("tour.tour"), code=303)


def _local(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def init_accounts(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    # Sessions are ended by their version number, not by a fingerprint of the address.
    login_manager.session_protection = None
    app.register_blueprint(bp)
