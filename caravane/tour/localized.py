"""The tour's texts in the reader's language, falling back to French, the source language.

tour.toml gives each text in French, and may give it in English and Arabic too (docs/content.md).
Pages ask `in_language(record, field, locale)` (templates: `reader_text(record, field)`) and get
the text with the language it is actually written in, so that a French fallback on an English
or Arabic page carries lang="fr" (and dir="ltr" on a right-to-left page).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from caravane.config import LOCALES, RTL_LOCALES

SOURCE_LANGUAGE = "fr"
TRANSLATED_LANGUAGES = tuple(code for code in LOCALES if code != SOURCE_LANGUAGE)
# The fields each record's translation block may hold; `roles` maps a guest's name to a role.
TOUR_TEXT_FIELDS = ("title", "intro")
STOP_TEXT_FIELDS = ("title", "summary", "context", "facts", "roles")
LIST_FIELDS = ("context", "facts")
REVIEW_MARKER = "reviewed"


@dataclass(frozen=True)
class LocalizedText:
    """A text (or a list of paragraphs) and the language it is written in, for one reader."""

    text: str | list[str]
    lang: str
    reader_locale: str

    @property
    def is_fallback(self) -> bool:
        return self.lang != self.reader_locale

    @property
    def attributes(self) -> Markup:
        """The HTML attributes to put on the element holding the text: none when it is in the
        page's language; lang (and dir when the page's direction differs) when it is not, so
        screen readers pronounce it as French and it reads left to right."""
        if not self.is_fallback:
            return Markup("")
        attributes = Markup(' lang="{}"').format(self.lang)
        if self.reader_locale in RTL_LOCALES:
            attributes += Markup(' dir="ltr"')
        return attributes


@dataclass(frozen=True)
class LocalizedGuest:
    name: str  # never translated
    role: LocalizedText | None


def translation_block(record, locale: str) -> dict:
    """The record's texts in this language as tour.toml gave them ({} when none)."""
    if locale == SOURCE_LANGUAGE:
        return {}
    return (record.translations or {}).get(locale) or {}


def in_language(record, field: str, locale: str) -> LocalizedText:
    """The field's text in `locale`, or the French text when that translation is missing."""
    block = translation_block(record, locale)
    if field in block:
        return LocalizedText(block[field], locale, locale)
    return LocalizedText(getattr(record, field), SOURCE_LANGUAGE, locale)


def guests_in_language(stop, locale: str) -> list[LocalizedGuest]:
    """The stop's guests with their role in `locale`, each falling back to French on its own."""
    roles = translation_block(stop, locale).get("roles", {})
    guests = []
    for guest in stop.guests:
        if not guest.get("role"):
            role = None
        elif guest["name"] in roles:
            role = LocalizedText(roles[guest["name"]], locale, locale)
        else:
            role = LocalizedText(guest["role"], SOURCE_LANGUAGE, locale)
        guests.append(LocalizedGuest(guest["name"], role))
    return guests

