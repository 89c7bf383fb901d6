"""Languages: the visitor's explicit choice, else the browser's, else French; right-to-left too;
dates and times as each language writes them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import format_datetime, format_time, get_datetime_format
from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_babel import get_locale, get_translations

from caravane import typography
from caravane.config import RTL_LOCALES
from caravane.extensions import babel
from caravane.forms import EmptyForm

bp = Blueprint("language", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LOCALES else "ltr"


def long_date(moment: datetime) -> str:
    """'mardi 21 juin 2022' in French; the same shape in the other languages."""
    return format_datetime(moment, "EEEE d MMMM y", locale=str(get_locale()))


def clock_time(moment: datetime) -> str:
    """'18 h' or '18 h 30' in French, as French posters write it; local style elsewhere."""
    locale = str(get_locale())
    if locale == "fr":
        return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")
    return format_time(moment, "short", locale=locale)


def date_and_time(moment: datetime) -> str:
    """'mardi 21 juin 2022, 18 h'; joined as each language joins them (Arabic: '،')."""
    glue = str(get_datetime_format("medium", locale=str(get_locale())))
    return glue.replace("{1}", long_date(moment)).replace("{0}", clock_time(moment))


def language_name(code: str | None) -> str:
    """The name of a text's language in the reader's, when it is not the reader's own: a
    written answer is shown as written, never translated, and says which language it is in."""
    reader = str(get_locale())
    if not code or code in ("und", reader):
        return ""
    try:
        return Locale.parse(code).get_display_name(reader) or ""
    except (ValueError, LookupError):
        return ""


@bp.post("/langue")
def choose_language():
    form = EmptyForm()
    lang = request.form.get("lang")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    target = request.form.get("next") or "/"
    # Only a path on this site: never an open redirect.
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target, code=303)


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["text_direction"] = text_direction
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.add_extension("jinja2.ext.i18n")
    _typographic_templates(app)
    app.jinja_env.filters["spaced"] = lambda text, language: typography.for_language(text, language)
    app.register_blueprint(bp)


def _typographic_templates(app: Flask) -> None:
    """Templates' interface strings follow French typography on French pages (typography.py).
    The same callables Flask-Babel installs, wrapped: Jinja substitutes the variables after, so
    what an attendee wrote is never changed here."""

    def french(text: str) -> str:
        return typography.french_interface(text) if str(get_locale()) == "fr" else text

    # Messages made in Python (flashes) pass through this filter where templates show them.
    app.jinja_env.filters["interface"] = french
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: french(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: french(get_translations().ungettext(s, p, n)),
        newstyle=True,
        pgettext=lambda c, s: french(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: french(get_translations().unpgettext(c, s, p, n)),
    )
