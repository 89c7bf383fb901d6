"""Tell which language a question is written in: by script first, then py3langid for Latin text.

Answers an ISO 639-1 code, or "und" when the text is too short or mostly not letters.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

LATIN_LANGUAGES = ("fr", "en", "ar", "fa", "ps", "am", "ku", "es", "de", "it")
MIN_LETTERS = 12
MIN_LETTER_SHARE = 0.5
MAX_CHARS = 2000  # enough to tell a language; keeps a 10 kB question cheap

PERSIAN = set("پچژگکی")
PASHTO = set("ټډړږښګڼېۍځڅ")
SORANI = set("ڕڵۆێە")
UKRAINIAN = set("іїєґІЇЄҐ")
# Scripts that name their language without a model.
SCRIPT_LANGUAGES = {
    "ETHIOPIC": "am",
    "GREEK": "el",
    "HEBREW": "he",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "GURMUKHI": "pa",
    "TAMIL": "ta",
    "THAI": "th",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
}

@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    """py3langid's model, loaded once (about a second) and limited to the tour's languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LATIN_LANGUAGES))
    return identifier


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    try:
        name = unicodedata.name(char)
    except ValueError:
        return ""
    first = name.split(" ", 1)[0]
    if first == "CJK" or first in SCRIPT_LANGUAGES or first in ("LATIN", "ARABIC", "CYRILLIC"):
        return first
    return "OTHER"


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """"fr", "en", "ar", another ISO 639-1 code, or "und" (too short or unknown)."""
    sample = text[:MAX_CHARS]
    letters = [c for c in sample if c.isalpha()]
    visible = [c for c in sample if not c.isspace()]
    if len(letters) < MIN_LETTERS or len(letters) < MIN_LETTER_SHARE * len(visible):
        return "und"
    scripts = Counter(_script(c) for c in letters)
    script, count = scripts.most_common(1)[0]
    if count < len(letters) / 2:
        return "und"
    if script == "ARABIC":
        present = set(letters)
        if present & PASHTO:
            return "ps"
        if present & SORANI:
            return "ku"
        if present & PERSIAN:
            return "fa"
        return "ar"
    if script == "CYRILLIC":
        return "uk" if set(letters) & UKRAINIAN else "ru"
    if script in SCRIPT_LANGUAGES:
        return SCRIPT_LANGUAGES[script]
    if script != "LATIN":
        return "und"
    latin = "".join(c if _script(c) == "LATIN" or not c.isalpha() else " " for c in sample)
    language, _ = _identifier().classify(latin.encode("utf-8", "replace").decode("utf-8"))
    return str(language)
