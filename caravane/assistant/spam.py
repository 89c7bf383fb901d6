"""Find signs that a question is spam or noise: links, repeated characters, shouting, the same
text sent again by its author, and very short lines that ask nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from .data import data_lines
from .flags import Flag, clip
from .normalize import clean, plain
from .personal_data import email_spans

_TLDS = (
    "fr|com|org|net|io|ly|be|eu|info|co|me|gg|tv|xyz|link|site|online|shop|app|dev|biz|top|"
    "club|live|ru|de|uk|ch|lu|nl|es|it|to|cc|ai"
)
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?\.){{1,4}}(?:{_TLDS})"
    r"(?![\w\-])(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# One character six times or more ("!!!!!!", "aaaaaa", "🙂🙂🙂🙂🙂🙂"), or a unit of two or three
# characters four times or more ("hahahaha", "❤️❤️❤️❤️"); digits are numbers, not noise.
REPEATED = re.compile(r"(\S)\1{5,}|(\S{2,3}?)\2{3,}")
WORD = re.compile(r"[^\W\d_]+")
SHOUTING_MIN_LETTERS = 12
SHOUTING_MIN_SHARE = 0.6
# Lines a moderator can discard at a glance; only when they are the whole question.
FILLERS = frozenset((
    "lol", "mdr", "ptdr", "xd", "test", "tests", "testing", "ok", "oki", "okay", "first", "up",
    "bump", "+1", "1", "a", "aa", "aaa", "hello", "salut", "coucou", "yo", "bonjour", "bonsoir",
    "merci", "thanks", "hi", "hey",
))
NOT_A_QUESTION_MAX_LETTERS = 12
REPEATED_TEXT_MIN_SCORE = 90


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    return frozenset(line.strip() for line in data_lines("acronyms.txt"))


def _trim_link(link: str) -> str:
    return link.rstrip(".,;:!?)]}»\"'")


def links(text: str) -> list[str]:
    body = clean(text).text
    emails = email_spans(text)
    found = []
    for match in LINK.finditer(body):
        start, end = match.span()
        if any(start < e_end and e_start < end for e_start, e_end in emails):
            continue
        link = _trim_link(match.group())
        bare = not link.lower().startswith(("http", "www."))
        if bare and not link.split("/")[0].rsplit(".", 1)[-1].islower():
            continue  # "à Roubaix.De plus": a missing space, not a domain
        if link.replace(".", "").isdigit():
            continue
        found.append(link)
    return found


def repeated_run(text: str) -> str | None:
    for match in REPEATED.finditer(clean(text).text):
        unit = match.group(1) or match.group(2)
        if not any(c.isdigit() for c in unit):
            return match.group()
    return None


def is_shouting(text: str) -> bool:
    """Mostly capitals over enough letters; acronyms (VSA, CNIL, MEL...) do not count."""
    known = acronyms()
    shouted = total = 0
    for word in WORD.findall(clean(text).text):
        cased = [c for c in word if c.lower() != c.upper()]
        if not cased:
            continue
        total += len(cased)
        if len(cased) >= 2 and all(c.isupper() for c in cased) and word not in known:
            shouted += len(cased)
    return shouted >= SHOUTING_MIN_LETTERS and shouted >= SHOUTING_MIN_SHARE * total


def is_not_a_question(text: str) -> bool:
    """Very short and not asking anything: "lol", "test", "aaaa", "+1", "👍"."""
    body = clean(text).text
    if "?" in body or "؟" in body:
        return False
    words = plain(text).split()
    if " ".join(words) in FILLERS or body.strip() in FILLERS:
        return True
    letters = sum(1 for c in body if c.isalpha())
    return len(words) <= 2 and letters < NOT_A_QUESTION_MAX_LETTERS


def repeats_history(text: str, author_history: Sequence[str]) -> bool:
    """The same, or nearly the same, as one of the author's earlier questions."""
    mine = plain(text)
    if not mine:
        return False
    for earlier in author_history:
        other = plain(earlier)
        if other and fuzz.ratio(mine, other, score_cutoff=REPEATED_TEXT_MIN_SCORE):
            return True
    return False


def find_spam(text: str, author_history: Sequence[str] = ()) -> tuple[Flag, ...]:
    """Spam flags in the order link, repeated_chars, shouting, repeated_text, not_a_question."""
    flags = [Flag("spam", "link", clip(link)) for link in dict.fromkeys(links(text))][:3]
    run = repeated_run(text)
    if run:
        flags.append(Flag("spam", "repeated_chars", clip(run)))
    if is_shouting(text):
        flags.append(Flag("spam", "shouting"))
    if author_history and repeats_history(text, author_history):
        flags.append(Flag("spam", "repeated_text"))
    if is_not_a_question(text):
        flags.append(Flag("spam", "not_a_question", clip(text)))
    return tuple(flags)
