"""Suggest earlier questions of the board that ask the same thing as a new one.

A question becomes a set of meanings: the concepts of lexicons/concepts.txt it names, in any
of French, English, Arabic or Maghrebi Arabic ("caméras" and "vidéosurveillance", "migrants"
and "exilés", "roubaisien" and "Roubaix", "JO" and "Jeux olympiques", "الكامب" and "camp"),
plus the Snowball stems of its other content words. Two questions are suggested as the same
when the weighted share of meanings they have in common reaches MIN_SCORE, unless they name
different places of the tour, different devices (drones and cameras), or different aspects
(what it costs and how long it keeps images). The score shown is the score compared: an
integer 0-100. A suggestion only: nothing is merged automatically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from .corpus import on_training_change, training_files
from .data import data_lines
from .flags import Flag
from .normalize import plain

MIN_SCORE = 45  # weighted Jaccard of meanings x 100, rounded, a suggestion needs
MARGIN = 15  # a suggestion also scores within this of the best one: the nearest, not a crowd
MIN_SHARED = 2.0  # weight of the meanings shared, at least: two content words or concepts
MAX_TOKENS = 64  # a 10 kB question is compared on its first words only
CONCEPT = "§"  # prefix of concept tokens, never produced by `plain`
GATED_KINDS = ("place", "device", "aspect", "intent")
# Concepts so common in these debates that sharing them says little.
LIGHT = {"camera": 0.5, "police": 0.6, "images": 0.6, "mairie": 0.6, "why": 0.5, "how": 0.5,
         "now": 0.5, "count": 0.8, "residents": 0.5, "data": 0.6, "ask": 0.7, "software": 0.5,
         "findout": 0.6}
_ARABIC_PREFIX = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال|ل)?(?=[\u0621-\u064a]{2})")


# Meanings learned from the tuning corpora's duplicate pairs: two words, each in one question of
# a pair only, are linked ("effacement" and "supprimer", "cams" and "caméras", "expulsions" and
# "démantèlements") when both are rare (in at most LINK_MAX_SHARE of the questions); a linked
# word counts as LINK_WEIGHT of a shared one. Leave-one-author-out, on the three files whose
# pairs were never read: pairs found 25 -> 30 of 104, suggestions right 0.81 -> 0.83.
LINK_WEIGHT = 0.8
LINK_MAX_SHARE = 0.02


@dataclass(frozen=True)
class Signature:
    tokens: frozenset[str]  # concepts (prefixed with §) and stems
    places: frozenset[str]
    devices: frozenset[str]
    aspects: frozenset[str]
    intents: frozenset[str]
    weight: float  # sum of the weights of the tokens
    linked: frozenset[str] = frozenset()  # tokens learned to mean one of `tokens`


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = data_lines("stopwords_fr.txt") + data_lines("stopwords_other.txt")
    return frozenset(plain(word) for word in words)


@lru_cache(maxsize=1)
def concepts() -> tuple[re.Pattern[str] | None, dict[str, str], dict[str, str]]:
    """(regex of multi-word variants, variant -> concept, concept -> kind)."""
    variants: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for line in data_lines("concepts.txt"):
        concept, kind, forms = (line.split("\t") + ["", ""])[:3]
        kinds[concept] = kind
        for form in forms.split("|"):
            folded = plain(form)
            if folded:
                variants.setdefault(folded, concept)
    phrases = sorted((v for v in variants if " " in v), key=len, reverse=True)
    pattern = (
        re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\S)")
        if phrases else None
    )
    return pattern, variants, kinds


_FRENCH = snowballstemmer.stemmer("french")
_ARABIC = snowballstemmer.stemmer("arabic")


@lru_cache(maxsize=16384)
def _token(word: str) -> str | None:
    """The concept or stem a word stands for, None for a stop word."""
    _, variants, _ = concepts()
    if word in variants:
        return CONCEPT + variants[word]
    arabic = "\u0621" <= word[:1] <= "\u064a"
    if arabic:
        bare = _ARABIC_PREFIX.sub("", word)
        if bare in variants:
            return CONCEPT + variants[bare]
        if word in stop_words() or bare in stop_words() or len(bare) < 2:
            return None
        return _ARABIC.stemWord(bare)
    if word in stop_words() or (len(word) < 2 and not word.isdigit()):
        return None
    if word.isdigit():
        # years and amounts say something ("2024", "450"); pairs of digits are parts of
        # phone numbers and dates more often than meanings
        return word if len(word) >= 3 else None
    return _FRENCH.stemWord(word)


def _weight(token: str) -> float:
    if token.startswith(CONCEPT):
        return LIGHT.get(token[1:], 1.0)
    return 1.0


_NUMBER_WORDS = {"un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
                 "six": "6", "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "cent": "100",
                 "mille": "1000", "two": "2", "three": "3", "ten": "10", "hundred": "100"}
_HOURS = re.compile(r"\b(\d+) ?(?:h|heures?|hours?)\b")


def _meanings(text: str) -> frozenset[str]:
    return _signature(text).tokens


@lru_cache(maxsize=1)
def links() -> dict[str, frozenset[str]]:
    """Token -> tokens it was seen to stand for in a duplicate pair of the training files."""
    linked: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    questions = 0
    for rows in training_files():
        for row in rows:
            questions += 1
            for token in _meanings(row.text):
                counts[token] = counts.get(token, 0) + 1
    rare = LINK_MAX_SHARE * questions
    for rows in training_files():
        by_id = {row.id: row for row in rows}
        for row in rows:
            earlier = by_id.get(row.dup_of) if row.dup_of is not None else None
            if earlier is None:
                continue
            first, second = _meanings(earlier.text), _meanings(row.text)
            for one in first - second:
                for other in second - first:
                    if counts.get(one, 0) <= rare and counts.get(other, 0) <= rare:
                        linked.setdefault(one, set()).add(other)
                        linked.setdefault(other, set()).add(one)
    return {token: frozenset(others) for token, others in linked.items()}


@lru_cache(maxsize=8192)
def signature(text: str) -> Signature:
    """The meanings a question is compared on, with the meanings learned to be linked to them
    (cached: the board is compared many times)."""
    found = _signature(text)
    learned = links()
    linked = frozenset(other for token in found.tokens for other in learned.get(token, ()))
    return Signature(found.tokens, found.places, found.devices, found.aspects, found.intents,
                     found.weight, linked - found.tokens)


@lru_cache(maxsize=8192)
def _signature(text: str) -> Signature:
    """The meanings a question is compared on (cached: the board is compared many times)."""
    pattern, variants, kinds = concepts()
    folded = _HOURS.sub(r"\1h", plain(text))  # "48 heures" is "48h"
    folded = " ".join(_NUMBER_WORDS.get(word, word) for word in folded.split())
    if pattern is not None:
        folded = pattern.sub(lambda m: " " + CONCEPT + variants[m.group()] + " ", folded)
    tokens: set[str] = set()
    for word in folded.split()[: MAX_TOKENS * 2]:
        token = word if word.startswith(CONCEPT) else _token(word)
        if token:
            tokens.add(token)
    by_kind: dict[str, set[str]] = {kind: set() for kind in GATED_KINDS}
    for token in tokens:
        if token.startswith(CONCEPT):
            kind = kinds.get(token[1:], "")
            if kind in by_kind:
                by_kind[kind].add(token[1:])
    frozen = frozenset(tokens)
    return Signature(
        frozen,
        frozenset(by_kind["place"]),
        frozenset(by_kind["device"]),
        frozenset(by_kind["aspect"]),
        frozenset(by_kind["intent"]),
        sum(_weight(t) for t in frozen),
    )


def _conflict(first: frozenset[str], second: frozenset[str]) -> bool:
    return bool(first and second and not first & second)


def score(first: Signature, second: Signature) -> int:
    """0-100: the weighted share of meanings in common; 0 when the two name different places,
    devices or aspects, or when only one asks why."""
    if not first.tokens or not second.tokens:
        return 0
    if (_conflict(first.places, second.places) or _conflict(first.devices, second.devices)
            or _conflict(first.aspects, second.aspects) or first.intents != second.intents):
        return 0
    if first.tokens == second.tokens and len(first.tokens) >= 2:
        return 100  # "les caméras enregistrent le son ?" retyped: short, and the same
    shared = sum(_weight(t) for t in first.tokens & second.tokens)
    # a token of one question learned to stand for a token of the other counts, once each
    learned = links()
    others = second.tokens - first.tokens
    soft = 0.0
    used: set[str] = set()
    for token in sorted(first.tokens - second.tokens):
        for other in sorted(learned.get(token, frozenset()) & (others - used)):
            soft += LINK_WEIGHT * min(_weight(token), _weight(other))
            used.add(other)
            break
    if shared + soft < MIN_SHARED:
        return 0
    union = first.weight + second.weight - shared - soft
    return round(100 * (shared + soft) / union)


def similarity(first: str, second: str) -> int:
    """Score 0-100 of two questions asking the same thing."""
    return score(signature(first), signature(second))


def find_duplicates(text: str, board: Sequence[tuple[int, str]], limit: int = 3) -> list[Flag]:
    """Up to `limit` earlier questions that look like the same question, best first."""
    if limit <= 0 or not board:
        return []
    mine = signature(text)
    if not mine.tokens:
        return []
    best: dict[int, int] = {}
    bound = (MIN_SCORE - 0.5) / 100
    for question_id, other in board:
        theirs = signature(other)
        shared = len(mine.tokens & theirs.tokens) + len(mine.linked & theirs.tokens)
        # Weights are at most 1: a board question sharing too few tokens to reach MIN_SCORE
        # is skipped before any weight is summed (most of a 1,000-question board).
        too_few = shared < MIN_SHARED or shared < bound * (mine.weight + theirs.weight - shared)
        if too_few and mine.tokens != theirs.tokens:
            continue
        value = score(mine, theirs)
        if value >= MIN_SCORE and value > best.get(question_id, -1):
            best[question_id] = value
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    if ranked:
        ranked = [(qid, value) for qid, value in ranked if value >= ranked[0][1] - MARGIN]
    return [Flag("duplicate", "similar", "", of=qid, score=value) for qid, value in ranked]


on_training_change(links.cache_clear)
on_training_change(signature.cache_clear)
