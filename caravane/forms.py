"""A form that carries nothing but its CSRF token: sign-out and the language choice."""

from __future__ import annotations

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    pass
