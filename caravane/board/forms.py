"""The attendee's HTML forms, for phones without JavaScript."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from caravane.vocabulary import NAME_MAX, TEXT_MAX


class QuestionForm(FlaskForm):
    # Rules (length, cleaning) live in board/inputs.py; the form only carries the fields.
    text = TextAreaField(_l("Votre question"), render_kw={"maxlength": TEXT_MAX, "rows": 4})
    name = StringField(
        _l("Votre nom (facultatif)"),
        render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
    )
    client_id = HiddenField(default=lambda: str(uuid.uuid4()))
    submit = SubmitField(_l("Envoyer la question"))


class VoteForm(FlaskForm):
    question_id = HiddenField()
