"""The attendee's board as plain HTML: read, ask and support without JavaScript."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from caravane.board import inputs, service, snapshots
from caravane.board.errors import BoardError
from caravane.board.forms import QuestionForm, VoteForm
from caravane.board.messages import (
    STATUSES,
    attendee_vocabulary,
    error_message,
    localize_question,
)
from caravane.board.session import current_attendee, mint_attendee
from caravane.errors import expired_form_page
from caravane.tour.views import stop_or_404

bp = Blueprint("attendee", __name__)


def render_board(slug: str, form: QuestionForm | None = None, form_error: str | None = None,
                 status: int = 200):
    stop = snapshots.room_stop(slug)
    if stop is None:
        abort(404)
    attendee = mint_attendee()
    snapshot = snapshots.public_snapshot(stop.slug, attendee, stop=stop)
    sort = request.args.get("tri", "soutiens")
    questions = snapshot["questions"]
    if sort == "recentes":
        questions = sorted(questions, key=lambda q: (q["created_at"], q["id"]), reverse=True)
    form = form or QuestionForm()
    if form_error == "csrf":
        form_error = gettext("La page a expiré. Votre texte est conservé : renvoyez-le.")
    return render_template(
        "attendee/questions.html", stop=stop, snapshot=snapshot, questions=questions,
        mine=[localize_question(q) for q in snapshot["mine"]], form=form,
        form_error=form_error, sort=sort, voted=set(snapshot["voted"]),
        vocabulary=attendee_vocabulary(), identified=attendee is not None,
    ), status


@bp.app_template_global()
def status_label(status: str) -> str:
    return str(STATUSES[status])


@bp.app_template_global()
def shared_cards(snapshot: dict, card: dict) -> dict[int, Markup]:
    """Each published question's card as seen by every attendee who neither asked nor
    supported it, rendered once per change of the board and language rather than once per
    page: through the macro, 50 cards took the page from 2.6 to 4.2 ms (bench/pages.py). Kept
    with the change number of the room's view it was made from (board/snapshots.py)."""
    kept = current_app.extensions.setdefault("caravane.board_cards", {})
    key = (snapshot["stop"]["slug"], str(get_locale()))
    if key in kept and kept[key][0] == snapshot["seq"]:
        return kept[key][1]
    question_card = get_template_attribute("_macros.html", "question_card")
    cards = {q["id"]: question_card(q, card, board_status=snapshot["board"])
             for q in snapshot["questions"]}
    kept[key] = (snapshot["seq"], cards)
    return cards


@bp.route("/<stop>/questions", methods=["GET", "POST"])
def questions(stop):
    form = QuestionForm()
    if request.method in ("GET", "HEAD"):  # a monitor's HEAD is no submission
        return render_board(stop, form)
    stop_or_404(stop)
    fields = {"stop": stop, "text": form.text.data, "client_id": form.client_id.data,
              "name": form.name.data}
    try:
        service.submit(inputs.submission(fields), current_attendee())
    except BoardError as error:
        status = 429 if error.code == "rate_limited" else 422
        return render_board(stop, form, error_message(error.code, **error.params), status=status)
    flash(gettext("Question envoyée. L'équipe de modération la relira : suivez-la dans « Mes "
                  "questions »."), "success")
    return redirect(url_for("attendee.questions", stop=stop) + "#mes-questions", code=303)


@bp.errorhandler(CSRFError)
def expired_form(_error):
    """A phone left open too long: say so, and give the typed question back."""
    if request.endpoint == "attendee.questions":
        return render_board(request.view_args["stop"], form_error="csrf", status=400)
    return expired_form_page()


@bp.post("/<stop>/questions/soutien")
def support(stop):
    form = VoteForm()
    stop_or_404(stop)
    anchor = ""
    if form.validate_on_submit():
        try:
            question_id = inputs.question_id(_integer(form.question_id.data))
            service.vote(question_id, current_attendee(), stop)
            anchor = f"#q{question_id}"
        except BoardError as error:
            flash(error_message(error.code, **error.params), "error")
    return redirect(url_for("attendee.questions", stop=stop) + anchor, code=303)


def _integer(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
