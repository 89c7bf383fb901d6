"""Languages: the visitor's explicit choice, else the browser's, else French; right-to-left too;
dates and times as each language writes them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import format_datetime, format_time, get_datetime_format
from flask import Blueprint, Flask, current_app, redirect, request, url_for
from flask_babel import get_locale, get_translations

from caravane import typography
from caravane.config import RTL_LOCALES
from caravane.extensions import babel

bp = Blueprint("language", __name__)


# The visitor's choice of language: a plain cookie, not the signed session. Choosing a language
# is no attack to guard against with a token, and pages that set no session stay cacheable
# (docs/deploy.md, Pages).
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_DAYS = 365


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
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


@bp.get("/langue")
def choose_language():
    """`/langue?lang=en&next=/calais`: a link sets the language cookie and leads back."""
    lang = request.args.get("lang")
    target = request.args.get("next") or "/"
    # Only a path on this site: never an open redirect.
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target, code=303)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=LANGUAGE_COOKIE_DAYS * 24 * 3600, httponly=True,
            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def language_link(code: str) -> str:
    """The address of the language switch that leads back to this page."""
    here = request.full_path if request.query_string else request.path
    return url_for("language.choose_language", lang=code, next=here)


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["text_direction"] = text_direction
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["language_link"] = language_link
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

    # A page asks for some forty strings: each is translated and set once per language, then
    # kept (the catalogues do not change while the server runs).
    known: dict[tuple[str, str], str] = {}

    def interface(message: str) -> str:
        key = (str(get_locale()), message)
        text = known.get(key)
        if text is None:
            text = known[key] = french(get_translations().ugettext(message))
        return text

    # Messages made in Python (flashes) pass through this filter where templates show them.
    app.jinja_env.filters["interface"] = french
    app.jinja_env.install_gettext_callables(
        gettext=interface,
        ngettext=lambda s, p, n: french(get_translations().ungettext(s, p, n)),
        newstyle=True,
        pgettext=lambda c, s: french(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: french(get_translations().unpgettext(c, s, p, n)),
    )
