"""The moderators' side: sign in and out, the console page, the export."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from caravane import export, moderators
from caravane.extensions import limiter
from caravane.forms import EmptyForm, LoginForm
from caravane.messages import REJECT_REASONS
from caravane.realtime import disconnect_moderator
from caravane.views.site import stop_or_404

bp = Blueprint("moderate", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        moderator = moderators.authenticate(form.login.data, form.password.data)
        if moderator is not None:
            login_user(moderator)
            return redirect(_local(request.args.get("next")) or url_for("site.tour"), code=303)
        error = gettext("Identifiant ou mot de passe incorrect.")
    elif form.is_submitted():
        error = gettext("Remplissez l'identifiant et le mot de passe.")
    return render_template("moderate/login.html", form=form, error=error), (401 if error else 200)


@bp.post("/deconnexion")
def logout():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        moderator = current_user._get_current_object()
        moderators.end_sessions(moderator)
        disconnect_moderator(moderator.id)
        logout_user()
    return redirect(url_for("site.tour"), code=303)


@bp.get("/<stop>/moderation")
@login_required
def console(stop):
    stop = stop_or_404(stop)
    return render_template("moderate/console.html", stop=stop,
                           reasons={code: str(label) for code, label in REJECT_REASONS.items()},
                           logout_form=EmptyForm())


@bp.get("/<stop>/export.csv")
@login_required
def export_csv(stop):
    stop = stop_or_404(stop)
    return Response(
        export.render(stop, "csv"), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="questions-{stop.slug}.csv"'},
    )


def _local(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
