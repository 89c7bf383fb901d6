"""Find signs that a question is spam or noise: links, advertising, a word said over and over,
keyboard mash, repeated characters, shouting, the same text sent again by its author, and
very short lines that ask nothing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from .contacts import PROFILE_URL, SELF_PROMOTION, email_spans
from .data import data_lines
from .flags import Flag, clip
from .normalize import clean, plain
from .public import is_public_account

_TLDS = (
    "fr|com|org|net|io|ly|be|eu|info|co|me|gg|tv|xyz|link|site|online|shop|app|dev|biz|top|"
    "club|live|ru|de|uk|ch|lu|nl|es|it|to|cc|ai|media|news|gouv\\.fr|gov|int"
)
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.\-/])(?:[\w](?:[\w\-]{{0,61}}[\w])?\.){{1,4}}(?:{_TLDS})"
    r"(?![\w\-])(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# Top-level domains that are also words ("la réunion.me semble", "voir.de"): a bare domain in
# one of them is a missing space unless a path follows.
WORD_TLDS = frozenset(("me", "de", "es", "it", "to", "co", "la", "tv", "ai", "be", "ch", "lu"))
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
# The same word or group of up to three words four times in a row ("stop stop stop stop",
# "no drones no drones no drones no drones"), or one word making half of a long question.
REPEATED_RUN = 4
REPEATED_SHARE = 0.5
REPEATED_SHARE_MIN_WORDS = 8
MAX_WORDS = 400  # enough to see a repetition; keeps a 10 kB question cheap
# Keyboard mash: letters typed along a row of the keyboard, or with almost no vowels.
KEYBOARD_ROWS = ("azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_RUN = 4
MASH_MIN_LETTERS = 6
MASH_SHARE = 0.5
VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    return frozenset(line.strip() for line in data_lines("acronyms.txt"))


@lru_cache(maxsize=1)
def public_sites() -> tuple[str, ...]:
    return tuple(line.strip().lower() for line in data_lines("public_sites.txt"))


def _trim_link(link: str) -> str:
    return link.rstrip(".,;:!?)]}»\"'")


def _domain(link: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", link, flags=re.IGNORECASE)
    return host.split("/", 1)[0].split("?", 1)[0].lower()


def is_public_site(link: str) -> bool:
    """A public body's, an organisation's of the debate, or the press's site: a source."""
    domain = _domain(link)
    for site in public_sites():
        if domain == site or domain.endswith("." + site):
            return True
    label = domain.rsplit(".", 1)[0].rsplit(".", 1)[-1]
    return is_public_account(label)


def links(text: str) -> list[str]:
    """Links that are not e-mails, profiles of people, public sources or missing spaces."""
    body = clean(text).text
    emails = email_spans(text)
    promoted = bool(SELF_PROMOTION.search(body))
    found = []
    for match in LINK.finditer(body):
        start, end = match.span()
        if any(start < e_end and e_start < end for e_start, e_end in emails):
            continue
        link = _trim_link(match.group())
        bare = not link.lower().startswith(("http", "www."))
        domain = link.split("/")[0]
        if bare and not domain.rsplit(".", 1)[-1].islower():
            continue  # "à Roubaix.De plus": a missing space, not a domain
        if bare and "/" not in link and (
            domain.rsplit(".", 1)[-1] in WORD_TLDS or not domain.isascii()
        ):
            continue  # "la réunion.me semble": a missing space
        if link.replace(".", "").isdigit():
            continue
        if PROFILE_URL.fullmatch(link) and not promoted:
            continue  # someone's profile page: personal data, reported there
        if is_public_site(link):
            continue
        found.append(link)
    return found


@lru_cache(maxsize=1024)
def public_link_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(first, last) original indexes of links to public bodies, the debate's organisations
    and the press: sources, not spam."""
    mapped = clean(text)
    spans = []
    for match in LINK.finditer(mapped.text):
        link = _trim_link(match.group())
        if is_public_site(link):
            spans.append((mapped.pos[match.start()], mapped.pos[match.start() + len(link) - 1]))
    return tuple(spans)


def repeated_run(text: str) -> str | None:
    for match in REPEATED.finditer(clean(text).text):
        unit = match.group(1) or match.group(2)
        if not any(c.isdigit() for c in unit):
            return match.group()
    return None


def repeated_words(text: str) -> str | None:
    """The word or words said over and over, or None. Linear: a group of `size` words repeats
    when each word equals the one `size` places further, over (REPEATED_RUN - 1) * size words."""
    words = plain(text).split()[:MAX_WORDS]
    for size in (1, 2, 3):
        needed = (REPEATED_RUN - 1) * size
        stretch = 0
        for i in range(len(words) - size):
            stretch = stretch + 1 if words[i] == words[i + size] else 0
            if stretch >= needed:
                start = i - stretch + 1
                group = " ".join(words[start : start + size])
                if any(c.isalpha() for c in group):
                    return group
    counted = Counter(w for w in words if len(w) >= 3 and any(c.isalpha() for c in w))
    if len(words) >= REPEATED_SHARE_MIN_WORDS and counted:
        word, count = counted.most_common(1)[0]
        if count >= REPEATED_SHARE * len(words):
            return word
    return None


def _mashed(word: str) -> bool:
    if len(word) < MASH_MIN_LETTERS or not word.isascii():
        return False
    for row in KEYBOARD_ROWS:
        for reverse in (row, row[::-1]):
            for i in range(len(reverse) - KEY_RUN + 1):
                if reverse[i : i + KEY_RUN] in word:
                    return True
    vowels = sum(c in VOWELS for c in word)
    return vowels / len(word) < 0.15


def keyboard_mash(text: str) -> str | None:
    """Letters typed at random ("qsdfqsdfjklm", "fjdkslqmp") making most of the question."""
    words = [w for w in plain(text).split() if w.isalpha()]
    letters = sum(len(w) for w in words)
    mashed = [w for w in words if _mashed(w)]
    if letters and sum(len(w) for w in mashed) >= MASH_SHARE * letters:
        return mashed[0]
    return None


@lru_cache(maxsize=1)
def _advertising_cues() -> dict[str, re.Pattern[str]]:
    phrases: dict[str, list[str]] = {}
    for line in data_lines("advertising.txt"):
        category, _, phrase = line.partition("\t")
        words = plain(phrase.rstrip("*"))
        if not words:
            continue
        pattern = re.escape(words) + (r"\w*" if phrase.endswith("*") else "")
        phrases.setdefault(category, []).append(pattern)
    compiled = {}
    for category, patterns in phrases.items():
        alternatives = "|".join(sorted(patterns, key=len, reverse=True))
        compiled[category] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return compiled


ADVERTISING_MIN_CUES = 3  # distinct cues of one kind that make an ad on their own
# A price ("600 €", "14,90 €", "€29", "300 dh") and a discount ("-10 %") are cues of their own
# kinds: with a cue of another kind (sell, contact…) they make an ad; alone, a question about
# what cameras cost is no ad.
PRICE = re.compile(
    r"(?<![\w.,])\d{1,6}(?:[.,]\d{1,2})?\s?(?:€|euros?\b|eur\b|dh\b|dhs\b|dirhams?\b|£|\$)"
    r"|[€£$]\s?\d{1,6}(?:[.,]\d{1,2})?(?![\w.,])",
    re.IGNORECASE,
)
DISCOUNT = re.compile(r"(?<![\w])-\s?\d{1,2}\s?%")


def advertising(text: str) -> str | None:
    """The first cue of an ad when cues of two kinds appear (sell + contact, money + urgency),
    three distinct cues of one kind ("achetez… livraison gratuite"), or one strong cue ("code
    promo"); None otherwise."""
    folded = plain(text)
    found: dict[str, list[str]] = {}
    for category, pattern in _advertising_cues().items():
        cues = list(dict.fromkeys(m.group() for m in pattern.finditer(folded)))
        if cues:
            found[category] = cues
    body = clean(text).text
    for category, pattern in (("price", PRICE), ("discount", DISCOUNT)):
        cues = [m.group() for m in pattern.finditer(body)]
        if cues:
            found[category] = cues
    if "strong" in found:
        return found["strong"][0]
    if len(found) >= 2 or any(len(cues) >= ADVERTISING_MIN_CUES for cues in found.values()):
        return next(iter(found.values()))[0]
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
    """Spam flags in the order of REASONS["spam"]."""
    flags = [Flag("spam", "link", clip(link)) for link in dict.fromkeys(links(text))][:3]
    cue = advertising(text)
    if cue:
        flags.append(Flag("spam", "advertising", clip(cue)))
    words = repeated_words(text)
    if words:
        flags.append(Flag("spam", "repeated_words", clip(words)))
    mash = keyboard_mash(text)
    if mash:
        flags.append(Flag("spam", "keyboard_mash", clip(mash)))
    run = repeated_run(text)
    if run and not words:
        flags.append(Flag("spam", "repeated_chars", clip(run)))
    if is_shouting(text):
        flags.append(Flag("spam", "shouting"))
    if author_history and repeats_history(text, author_history):
        flags.append(Flag("spam", "repeated_text"))
    if is_not_a_question(text):
        flags.append(Flag("spam", "not_a_question", clip(text)))
    return tuple(flags)
