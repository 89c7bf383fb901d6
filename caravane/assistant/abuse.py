"""Find insults, slurs and threats in a question, using the rules in lexicons/*.txt.

Rules match whole normalized words, never parts of words: "con" is an insult, "conseil",
"contrôle" and "concombre" are not. Words of lexicons/ambiguous.txt (baiser, bander, sale,
police, migrants...) can never be a rule on their own; the loader refuses such a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .data import data_lines
from .flags import Flag, clip
from .normalize import abuse_views, word_form

RULE_FILES = ("safetype_fr.txt", "safetype_en.txt", "fr.txt", "en.txt", "ar.txt")
AMBIGUOUS_FILE = "ambiguous.txt"
# A span matched by several rules is reported once, under the most serious reason.
SEVERITY = {"threat": 3, "slur": 2, "insult": 1}
MAX_PER_REASON = 3


class LexiconError(ValueError):
    """A lexicon line that cannot be read, or a rule that would flag an ambiguous word alone."""


@dataclass(frozen=True)
class Rule:
    reason: str
    pattern: str
    source: str
    regex: re.Pattern[str]


def _split_tokens(pattern: str) -> list[str]:
    tokens, depth, current = [], 0, ""
    for char in pattern:
        if char == " " and depth == 0:
            if current:
                tokens.append(current)
            current = ""
            continue
        depth += (char == "(") - (char == ")")
        if depth < 0:
            raise LexiconError(f"unbalanced parenthesis in {pattern!r}")
        current += char
    if depth:
        raise LexiconError(f"unbalanced parenthesis in {pattern!r}")
    if current:
        tokens.append(current)
    return tokens


def _alternative(text: str) -> str:
    """Regex for one alternative: words in sequence, each followed by one space."""
    out = ""
    for word in text.split():
        prefix = word.endswith("*")
        form = word_form(word.rstrip("*"))
        if not form:
            continue
        out += re.escape(form) + (r"\w* " if prefix else " ")
    return out


def compile_pattern(pattern: str) -> str:
    """Translate the lexicon pattern syntax into a regex over `abuse_views` text + " "."""
    body = ""
    for part in _split_tokens(pattern):
        if part == "^":
            if body:
                raise LexiconError(f"^ must come first in {pattern!r}")
            body = "^"
            continue
        optional = part.endswith("?")
        part = part.rstrip("?")
        if part == "*":
            piece = r"\w+ "
        elif part.startswith("(") and part.endswith(")"):
            alternatives = [_alternative(a) for a in part[1:-1].split("|")]
            alternatives = sorted({a for a in alternatives if a}, key=len, reverse=True)
            if not alternatives:
                raise LexiconError(f"empty group in {pattern!r}")
            piece = "(?:" + "|".join(alternatives) + ")"
        else:
            piece = _alternative(part)
            if not piece:
                raise LexiconError(f"empty word in {pattern!r}")
        body += f"(?:{piece})?" if optional else piece
    if not body or body == "^":
        raise LexiconError(f"empty pattern {pattern!r}")
    return body if body.startswith("^") else "(?:^|(?<= ))" + body


def _read_rules(name: str) -> list[Rule]:
    rules = []
    for line in data_lines(name):
        reason, _, pattern = line.partition("\t")
        if reason not in SEVERITY or not pattern.strip():
            raise LexiconError(f"{name}: cannot read {line!r}")
        regex = re.compile(compile_pattern(pattern.strip()))
        rules.append(Rule(reason, pattern.strip(), name, regex))
    return rules


@lru_cache(maxsize=1)
def ambiguous_words() -> tuple[str, ...]:
    """Normalized words and phrases that must never be flagged on their own."""
    return tuple(dict.fromkeys(word_form(line) for line in data_lines(AMBIGUOUS_FILE)))


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """All rules of the rule files; refuses any that would flag an ambiguous word alone."""
    loaded = [rule for name in RULE_FILES for rule in _read_rules(name)]
    for rule in loaded:
        for word in ambiguous_words():
            if rule.regex.fullmatch(word + " "):
                raise LexiconError(
                    f"{rule.source}: rule {rule.pattern!r} flags the ambiguous word {word!r}"
                )
    return tuple(loaded)


def _anchors(pattern: str) -> tuple[tuple[str, bool], ...]:
    """Words one of which must be in a text for the rule to match: the first words of the
    alternatives of its narrowest required token, each with whether it is a prefix (word*)."""
    best: tuple[tuple[str, bool], ...] = ()
    for token in _split_tokens(pattern):
        if token in ("^", "*") or token.endswith("?"):
            continue
        inner = token[1:-1] if token.startswith("(") else token
        anchors = []
        for alternative in inner.split("|"):
            words = alternative.split()
            if not words:
                continue
            form = word_form(words[0].rstrip("*")).split()
            if form:
                prefix = words[0].endswith("*") and len(form) == 1
                anchors.append((form[0], prefix))
        if anchors and (not best or len(anchors) < len(best)):
            best = tuple(dict.fromkeys(anchors))
    return best


@dataclass(frozen=True)
class _Index:
    exact: dict[str, tuple[int, ...]]
    prefixes: dict[str, tuple[tuple[str, int], ...]]  # first two letters -> (prefix, rule)
    always: tuple[int, ...]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Rules by the words that announce them, so a question is only tried against the few
    rules whose words it contains."""
    exact: dict[str, list[int]] = {}
    prefixes: dict[str, list[tuple[str, int]]] = {}
    always: list[int] = []
    for number, rule in enumerate(rules()):
        anchors = _anchors(rule.pattern)
        if not anchors:
            always.append(number)
        for word, prefix in anchors:
            if prefix:
                prefixes.setdefault(word[:2], []).append((word, number))
            else:
                exact.setdefault(word, []).append(number)
    return _Index(
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in prefixes.items()},
        tuple(always),
    )


def _candidate_rules(words: set[str]) -> list[Rule]:
    index = _index()
    numbers = set(index.always)
    for word in words:
        numbers.update(index.exact.get(word, ()))
        for prefix, number in index.prefixes.get(word[:2], ()):
            if word.startswith(prefix):
                numbers.add(number)
    all_rules = rules()
    return [all_rules[n] for n in sorted(numbers)]


@lru_cache(maxsize=2048)
def find_abuse(text: str) -> tuple[Flag, ...]:
    """Abuse flags of a question, most serious first, evidence as the author wrote it."""
    candidates: list[tuple[str, int, int, str]] = []  # reason, original first/last, evidence
    for view in abuse_views(text):
        if not view.text:
            continue
        haystack = view.text + " "
        for rule in _candidate_rules(set(view.text.split(" "))):
            reason = rule.reason
            for match in rule.regex.finditer(haystack):
                start, end = match.start(), match.end() - 1
                if end > start:
                    first, last = view.pos[start], view.pos[end - 1]
                    candidates.append((reason, first, last, view.excerpt(start, end)))
    # Most serious and longest first; a span already reported is not reported again.
    candidates.sort(key=lambda c: (-SEVERITY[c[0]], c[1] - c[2], c[1]))
    kept: list[tuple[str, int, int, str]] = []
    for candidate in candidates:
        _, first, last, _ = candidate
        if not any(first <= k_last and k_first <= last for _, k_first, k_last, _ in kept):
            kept.append(candidate)
    flags: list[Flag] = []
    seen: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    for reason, _, _, evidence in sorted(kept, key=lambda k: (-SEVERITY[k[0]], k[1])):
        key = (reason, evidence.casefold())
        if key in seen or counts.get(reason, 0) >= MAX_PER_REASON:
            continue
        seen.add(key)
        counts[reason] = counts.get(reason, 0) + 1
        flags.append(Flag("abuse", reason, clip(evidence)))
    return tuple(flags)
