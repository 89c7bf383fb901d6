"""The attendee's board as plain HTML: read, ask and support without JavaScript."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from caravane import board, ratelimit
from caravane.board import BoardError
from caravane.forms import QuestionForm, VoteForm
from caravane.links import short_url
from caravane.messages import error_message, localize_question
from caravane.realtime import attendee_token, publish
from caravane.views.site import stop_or_404

bp = Blueprint("board", __name__)

SORTS = ("soutiens", "recentes")


def render_board(slug: str, form: QuestionForm | None = None, form_error: str | None = None,
                 status: int = 200):
    stop = stop_or_404(slug)
    snapshot = board.public_snapshot(stop.slug, attendee_token())
    sort = request.args.get("tri", "soutiens")
    questions = snapshot["questions"]
    if sort == "recentes":
        questions = sorted(questions, key=lambda q: (q["created_at"], q["id"]), reverse=True)
    form = form or QuestionForm()
    if form_error == "csrf":
        form_error = gettext("La page a expiré. Votre texte est conservé : renvoyez-le.")
    return render_template(
        "board/questions.html", stop=stop, snapshot=snapshot, questions=questions,
        mine=[localize_question(q) for q in snapshot["mine"]], form=form,
        form_error=form_error, sort=sort, vote_form=VoteForm(),
        voted=set(snapshot["voted"]), short_url=short_url("board.questions", stop=stop.slug),
    ), status


@bp.route("/<stop>/questions", methods=["GET", "POST"])
def questions(stop):
    form = QuestionForm()
    if request.method == "GET":
        return render_board(stop, form)
    stop_or_404(stop)
    try:
        ratelimit.check("submit", attendee_token())
        outcome = board.submit(stop, attendee_token(), form.text.data, form.client_id.data,
                               form.name.data)
    except BoardError as error:
        status = 429 if error.code == "rate_limited" else 422
        return render_board(stop, form, error_message(error.code, **error.params), status=status)
    publish(outcome.events)
    flash(gettext("Question envoyée : elle sera affichée après relecture."), "success")
    return redirect(url_for("board.questions", stop=stop) + "#mes-questions", code=303)


@bp.post("/<stop>/questions/soutien")
def support(stop):
    form = VoteForm()
    stop_or_404(stop)
    anchor = ""
    if form.validate_on_submit():
        try:
            question_id = int(form.question_id.data or 0)
            ratelimit.check("vote", attendee_token())
            outcome = board.vote(question_id, attendee_token())
            publish(outcome.events)
            anchor = f"#q{question_id}"
        except (ValueError, BoardError) as error:
            code = error.code if isinstance(error, BoardError) else "unknown_question"
            flash(error_message(code, **getattr(error, "params", {})), "error")
    return redirect(url_for("board.questions", stop=stop) + anchor, code=303)
