"""The attendee's HTML forms, for phones without JavaScript."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField


class QuestionForm(FlaskForm):
    # Rules (length, cleaning) live in board/inputs.py; the form only carries the fields, and
    # the board page writes their markup itself (templates/attendee/questions.html).
    text = TextAreaField(_l("Votre question"))
    name = StringField(_l("Votre nom (facultatif)"))
    client_id = HiddenField(default=lambda: str(uuid.uuid4()))
    submit = SubmitField(_l("Envoyer la question"))


class VoteForm(FlaskForm):
    question_id = HiddenField()
