"""The moderation assistant: flags and explains questions for volunteer moderators.

Pure functions over text, no Flask. It never rejects or deletes anything: each Flag says what
was noticed (code, reason, evidence as written) and the moderator decides. The app localizes
messages from (code, reason, evidence, of, score).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from .abuse import find_abuse
from .classifier import find_likely
from .duplicates import find_duplicates
from .flags import CODES, REASONS, Analysis, Flag, Severity
from .language import detect_language
from .personal_data import find_personal_data
from .spam import find_spam

__all__ = [
    "CODES",
    "REASONS",
    "Analysis",
    "Flag",
    "Severity",
    "analyze",
    "detect_language",
    "find_duplicates",
    "warm_up",
]

# One question of each kind, so that warm_up() loads every lexicon, model and cache.
_WARM_UP = (
    "Préchauffage : combien de caméras à Roubaix ? On va te retrouver, p*te, ACAB, "
    "mon voisin Kevin Dupont au 12 rue des Lilas, 06 12 34 56 78, jean [at] exemple [dot] fr, "
    "@quelquun, AB-123-CD, RIO 1234567, achetez vite, www.exemple.fr, qsdfghjkl",
    "Is facial recognition used in Calais? +44 20 7946 0958",
    "هل يحق للشرطة أن تصورنا داخل المخيم؟",
)

MAX_ANALYZED_CHARS = 20_000  # far above any question the app accepts; bounds the work
# One analysis at a time per process: the Snowball stemmers keep state between calls and the
# lexicons and model load on first use, so two threads at once (the app's analysis worker and
# a moderator's request, under a threaded server) broke a stem mid-word. Under gevent nothing
# switches inside an analysis, and the lock is never contended.
_ONE_AT_A_TIME = threading.Lock()


def _valid(text: object) -> str:
    """The text as a str that encodes to UTF-8 (lone surrogates replaced), never raising."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[:MAX_ANALYZED_CHARS]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def analyze(
    text: str,
    *,
    board: Sequence[tuple[int, str]] = (),
    author_history: Sequence[str] = (),
) -> Analysis:
    """Language and flags of a question, ordered abuse, personal_data, spam, duplicate.

    board: (id, text) of the stop's other questions (not rejected); author_history: texts the
    same attendee already submitted to this stop (for the "repeated_text" spam flag).
    """
    with _ONE_AT_A_TIME:
        return _analyze(_valid(text), [_valid(earlier) for earlier in author_history], board)


def _analyze(text: str, history: list[str], board: Sequence[tuple[int, str]]) -> Analysis:
    found = (*find_abuse(text), *find_personal_data(text), *find_spam(text, history))
    # The model speaks only where the rules said nothing of a code: a rule's evidence is the
    # clearer one for a moderator.
    likely = find_likely(text, {flag.code for flag in found})
    content = sorted((*found, *likely), key=lambda flag: CODES.index(flag.code))
    return Analysis(detect_language(text), (*content, *find_duplicates(text, board)))


def warm_up() -> None:
    """Train the model and load every lexicon, the language model and libphonenumber's
    metadata now (a few seconds), so that the first question of a serving process does not
    pay for it."""
    for text in _WARM_UP:
        analyze(text, board=[(0, _WARM_UP[0])], author_history=[text])
