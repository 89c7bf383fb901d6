"""French typography at display time: what a French reader expects, stored text untouched.

Before « ? ! : ; » and inside « guillemets » French puts a narrow no-break space (U+202F), so
that a question mark never wraps alone onto the next line of a card or of the projector; the
interface's apostrophes are typographic (’). Only spaces already typed are replaced: nothing is
inserted into what an attendee wrote, and "http://" keeps its colon.
"""

from __future__ import annotations

import re

NARROW_NO_BREAK_SPACE = "\u202f"
_BEFORE_PUNCTUATION = re.compile(r"[ \u00a0\u202f]+(?=[?!:;»])")
_AFTER_OPENING_QUOTE = re.compile(r"(?<=«)[ \u00a0\u202f]+")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def french_spacing(text: str) -> str:
    """A text as French typography spaces it, for display (questions, names)."""
    text = _BEFORE_PUNCTUATION.sub(NARROW_NO_BREAK_SPACE, text)
    return _AFTER_OPENING_QUOTE.sub(NARROW_NO_BREAK_SPACE, text)


def french_interface(text: str) -> str:
    """An interface string of the French catalogue: spacing, and typographic apostrophes."""
    return _APOSTROPHE.sub("\u2019", french_spacing(text))


def for_language(text: str, language: str | None) -> str:
    """Spaced the French way when the text is French; any other language as written."""
    return french_spacing(text) if language == "fr" and text else text
