"""The HTML forms, for the pages that must work without JavaScript."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from caravane.board import NAME_MAX, TEXT_MAX


class QuestionForm(FlaskForm):
    # Rules (length, cleaning) live in the board; the form only carries the fields.
    text = TextAreaField(_l("Votre question"), render_kw={"maxlength": TEXT_MAX, "rows": 4})
    name = StringField(
        _l("Votre nom (facultatif)"),
        render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
    )
    client_id = HiddenField(default=lambda: str(uuid.uuid4()))
    submit = SubmitField(_l("Envoyer la question"))


class VoteForm(FlaskForm):
    question_id = HiddenField()


class LoginForm(FlaskForm):
    login = StringField(_l("Identifiant"), validators=[DataRequired(), Length(max=60)],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Se connecter"))


class EmptyForm(FlaskForm):
    """CSRF token only: sign-out, language choice."""
