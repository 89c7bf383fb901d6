"""Signing a moderator in and out."""

from __future__ import annotations

import math
import re
import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import HTTPException

from caravane import ratelimit
from caravane.accounts import moderators, throttle
from caravane.accounts.forms import LoginForm
from caravane.extensions import login_manager
from caravane.forms import EmptyForm

bp = Blueprint("accounts", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        login_name = form.login.data
        try:
            # Before the password hash is computed: a refused guess costs nothing.
            throttle.refuse_if_guessing(login_name)
        except ratelimit.RateLimited as limited:
            minutes = max(1, math.ceil(limited.retry / 60))
            error = ngettext("Trop de tentatives : réessayez dans %(num)s minute.",
                             "Trop de tentatives : réessayez dans %(num)s minutes.", minutes)
            return render_template("accounts/login.html", form=form, error=error), 429
        moderator = moderators.authenticate(login_name, form.password.data)
        if moderator is not None:
            _renew_session()
            login_user(moderator)
            # Flask-Login keeps a hash of the address and user agent (`_id`) for a protection
            # caravane does not use (sessions end by version): no address-derived value in a
            # cookie (docs/privacy.md).
            session.pop("_id", None)
            # Where moderators work: the chooser of stops (board/console.py).
            target = local_path(request.args.get("next")) or url_for("console.chooser")
            return throttle.remember_device(redirect(target, code=303), login_name)
        throttle.failed(login_name)
        error, status = gettext("Identifiant ou mot de passe incorrect."), 401
    elif form.is_submitted():
        error, status = gettext("Remplissez l'identifiant et le mot de passe."), 401
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/deconnexion")
def logout():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        moderators.end_sessions(current_user._get_current_object())
        # Flask-Login's user_logged_out signal closes this moderator's open consoles.
        logout_user()
        _renew_session()
    return redirect(url_for("tour.tour"), code=303)


def _renew_session() -> None:
    """A new session at sign-in and sign-out: nothing from before (an attendee identity, a
    CSRF token someone may have planted or seen) carries across; the language stays."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


# What a path on this site may hold: the browser must read it exactly as we check it.
_LOCAL_PATH = re.compile(r"/(?!/)[A-Za-z0-9/_.~-]*(\?[A-Za-z0-9_.~%&=+-]*)?")


def local_path(target: str | None) -> str | None:
    """`next` if it can only lead to a page of this site, else None.

    Browsers drop tabs and line breaks from a URL, read a backslash as a slash and a
    full-width solidus as a solidus: "/\t/evil.example" becomes "//evil.example", another
    site. So the path is normalised as a browser would, then held to a strict shape
    (one leading slash, plain characters) and must name one of our routes."""
    if not target:
        return None
    normalised = unicodedata.normalize("NFKC", target)
    if normalised != target or not _LOCAL_PATH.fullmatch(target):
        return None
    try:
        current_app.url_map.bind("localhost").match(urlsplit(target).path, method="GET")
    except HTTPException:
        return None
    return target


def init_accounts(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    # Sessions are ended by their version number, not by a fingerprint of the address.
    login_manager.session_protection = None
    app.register_blueprint(bp)
