"""Find insults, slurs and threats in a question, using the rules in lexicons/*.txt.

Rules match whole normalized words, never parts of words: "con" is an insult, "conseil",
"contrôle" and "concombre" are not. Words of lexicons/ambiguous.txt (baiser, bander, sale,
police, migrants...) can never be a rule on their own; the loader refuses such a rule.
Phrases of lexicons/not_abuse.txt (the town of Bitche, Spanish "con la") cancel a match they
contain. Masked letters ("p*te", "f**k") are read as the rule word they can only be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .data import data_lines
from .flags import Flag, clip
from .normalize import abuse_views, masked_views, word_form

RULE_FILES = (
    "safetype_fr.txt", "safetype_en.txt", "fr.txt", "fr_hostility.txt", "en.txt",
    "en_hostility.txt", "ar.txt",
)
AMBIGUOUS_FILE = "ambiguous.txt"
EXCEPTIONS_FILE = "not_abuse.txt"
# A span matched by several rules is reported once, under the most serious reason.
SEVERITY = {"threat": 4, "dehumanising": 3, "slur": 2, "insult": 1}
MAX_PER_REASON = 3
# The raised middle finger, with or without a skin tone, says what an insult says.
GESTURES = re.compile("\U0001F595[\U0001F3FB-\U0001F3FF]?")
# A pig for the police: the emoji next to a police officer's emoji, ACAB or a word for the
# police ("👮 = 🐖", "ACAB 🐷🐷", "les flics 🐷").
PIGS = re.compile("[\U0001F416\U0001F437\U0001F43D]+")
POLICE_CUE = re.compile(
    "\U0001F46E|(?<!\\w)(?i:acab|1312|flics?|keufs?|police|policiers?|cops?|crs|bac|"
    "condés?|poulets|schmitts?|البوليس|الشرطه|الشرطة|bolis)(?!\\w)"
)
# Two words masked but for a letter or two, close together: "des f*** de p***", "b**** de
# c***": too masked to be read, but said as insults are said.
MASKED_PAIR = re.compile(
    r"(?<![\w*])[^\W\d_]{1,2}[*#%]{2,}[^\W\d_]*(?:\s+\w+){0,2}\s+[^\W\d_]{1,2}[*#%]{2,}"
)


class LexiconError(ValueError):
    """A lexicon line that cannot be read, or a rule that would flag an ambiguous word alone."""


@dataclass(frozen=True)
class Rule:
    reason: str
    pattern: str
    source: str
    regex: re.Pattern[str]
    clause_start: bool = False  # pattern starts with ^: the match must open a clause
    clause_end: bool = False  # pattern ends with $: the match must close a clause


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
    """Translate the lexicon pattern syntax into a regex over `abuse_views` text + " ".

    `^` and `$` (first and last token) are not part of the regex: views have no punctuation,
    so whether a match opens or closes a clause is checked on the original text afterwards."""
    body = ""
    parts = _split_tokens(pattern)
    if parts and parts[0] == "^":
        parts = parts[1:]
    if parts and parts[-1] == "$":
        parts = parts[:-1]
    for part in parts:
        if part in ("^", "$"):
            raise LexiconError(f"^ must come first and $ last in {pattern!r}")
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
    if not body:
        raise LexiconError(f"empty pattern {pattern!r}")
    return "(?:^|(?<= ))" + body


CLAUSE_MARKS = ".!?…;:,()[]«»\"“”¿¡؟،\n"


def opens_clause(original: str, first: int) -> bool:
    """Nothing but spaces, quotes or dashes between the last punctuation (or the start) and
    original[first]: "Crevez tous" and "Bonjour. Crevez tous" open a clause."""
    before = original[:first].rstrip(" \t-–—'’*_~")
    return not before or before[-1] in CLAUSE_MARKS


def closes_clause(original: str, last: int) -> bool:
    """Only punctuation, emoji or nothing after original[last]: "vous allez payer !"."""
    after = original[last + 1 :].lstrip(" \t")
    return not after or after[0] in CLAUSE_MARKS or not after[0].isalnum()


def _read_rules(name: str, reasons: frozenset[str] = frozenset(SEVERITY)) -> list[Rule]:
    rules = []
    for line in data_lines(name):
        reason, _, pattern = line.partition("\t")
        if reason not in reasons or not pattern.strip():
            raise LexiconError(f"{name}: cannot read {line!r}")
        pattern = pattern.strip()
        regex = re.compile(compile_pattern(pattern))
        tokens = _split_tokens(pattern)
        rules.append(Rule(reason, pattern, name, regex, tokens[0] == "^", tokens[-1] == "$"))
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


@lru_cache(maxsize=1)
def exceptions() -> tuple[Rule, ...]:
    """Phrases in which a rule's match is not abuse (lexicons/not_abuse.txt)."""
    return tuple(_read_rules(EXCEPTIONS_FILE, frozenset(("not",))))


def _alternatives(pattern: str) -> list[str]:
    """Every word written in a pattern, "*" endings kept ("encul*")."""
    words = re.split(r"[\s()|?^]+", pattern)
    return [word for word in words if word and word != "*"]


@lru_cache(maxsize=1)
def _mask_vocabulary() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(words, standalone words, prefixes) a masked word may stand for: every word of three
    letters or more in the rules, those that are a whole rule on their own ("pute", "con"),
    and the word* prefixes ("encul"). Words of ambiguous.txt are left out."""
    ambiguous = set(ambiguous_words())
    words: set[str] = set()
    standalone: set[str] = set()
    prefixes: set[str] = set()
    for rule in rules():
        alone = len([t for t in _split_tokens(rule.pattern) if t not in ("^", "$")]) == 1
        for word in _alternatives(rule.pattern):
            form = word_form(word.rstrip("*"))
            if len(form) < 3 or " " in form or form in ambiguous or not form.isalpha():
                continue
            if word.endswith("*"):
                prefixes.add(form)
            else:
                words.add(form)
                if alone:
                    standalone.add(form)
    return frozenset(words), frozenset(standalone), tuple(sorted(prefixes))


def _templates(word: str) -> list[list[str]]:
    """The masked word with "?" for each hidden letter, fewest hidden letters first: a run of
    masks hides as many letters as it has characters, a single mask one, else two."""
    one, two = [""], [""]
    for part in re.split(r"([*#%]+)", word):
        if not part:
            continue
        if part[0] in "*#%":
            one = [t + "?" * len(part) for t in one]
            two = [t + ("??" if len(part) == 1 else "?" * len(part)) for t in two]
        else:
            one = [t + part for t in one]
            two = [t + part for t in two]
    return [one, two] if two != one else [one]


def _fits(template: str, word: str) -> bool:
    return all(t in ("?", w) for t, w in zip(template, word, strict=False))


@lru_cache(maxsize=1024)
def read_masked(word: str) -> str | None:
    """The rule word a masked word stands for ("p*te" → "pute", "enc*lés" → "enculés"), or
    None. A word that is a rule on its own wins over a word only found inside a phrase; when
    two harmless-looking readings remain, none is chosen."""
    words, standalone, prefixes = _mask_vocabulary()
    for group in _templates(word):
        found: set[str] = set()
        for template in group:
            found.update(w for w in words if len(w) == len(template) and _fits(template, w))
            for prefix in prefixes:
                if len(template) >= len(prefix) and _fits(template[: len(prefix)], prefix):
                    rest = template[len(prefix):]
                    if "?" not in rest:
                        found.add(prefix + rest)
        if not found:
            continue
        alone = sorted(found & standalone) or sorted(
            f for f in found if any(f.startswith(p) for p in prefixes)
        )
        if alone:
            return alone[0]
        return found.pop() if len(found) == 1 else None
    return None


def _anchors(pattern: str) -> tuple[tuple[str, bool], ...]:
    """Words one of which must be in a text for the rule to match: the first words of the
    alternatives of its narrowest required token, each with whether it is a prefix (word*)."""
    best: tuple[tuple[str, bool], ...] = ()
    for token in _split_tokens(pattern):
        if token in ("^", "$", "*") or token.endswith("?"):
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


# Words an author quotes are reported, not said: 'un CRS m'a dit "on va te retrouver"', 'des
# élus parlent de « racaille »'. Straight quotes count only in pairs.
QUOTED = re.compile(r'"[^"\n]{1,200}"|«[^»\n]{1,200}»|“[^”\n]{1,200}”|„[^“”\n]{1,200}[“”]')
QUOTED_MAX_SHARE = 0.8  # a question wholly in quotes is the author's own words


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(first, last) original indexes of the quoted passages of a question."""
    spans = []
    body = len(text.strip())
    for match in QUOTED.finditer(text):
        if match.end() - match.start() < QUOTED_MAX_SHARE * body:
            spans.append((match.start(), match.end() - 1))
    return spans


def _excepted(view_text: str, pos: tuple[int, ...]) -> list[tuple[int, int]]:
    """Original spans (first, last) of the phrases of not_abuse.txt in a view."""
    spans = []
    haystack = view_text + " "
    for rule in exceptions():
        for match in rule.regex.finditer(haystack):
            start, end = match.start(), match.end() - 1
            if end > start:
                spans.append((pos[start], pos[end - 1]))
    return spans


@lru_cache(maxsize=1024)
def excused_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(first, last) original indexes of the phrases of not_abuse.txt and the quoted passages
    of a question: whatever weighs in them is not abuse (also for the model's flags)."""
    views = abuse_views(text)
    spans = _excepted(views[0].text, views[0].pos) if views and views[0].text else []
    return tuple(spans + quoted_spans(text))


@lru_cache(maxsize=2048)
def find_abuse(text: str) -> tuple[Flag, ...]:
    """Abuse flags of a question, most serious first, evidence as the author wrote it."""
    candidates: list[tuple[str, int, int, str]] = []  # reason, original first/last, evidence
    views = abuse_views(text) + masked_views(text, read_masked)
    for view in views:
        if not view.text:
            continue
        haystack = view.text + " "
        excepted: list[tuple[int, int]] | None = None
        for rule in _candidate_rules(set(view.text.split(" "))):
            reason = rule.reason
            for match in rule.regex.finditer(haystack):
                start, end = match.start(), match.end() - 1
                if end > start:
                    first, last = view.pos[start], view.pos[end - 1]
                    if rule.clause_start and not opens_clause(view.original, first):
                        continue
                    if rule.clause_end and not closes_clause(view.original, last):
                        continue
                    if excepted is None:
                        excepted = _excepted(view.text, view.pos) + quoted_spans(text)
                    if any(e_first <= first and last <= e_last for e_first, e_last in excepted):
                        continue
                    candidates.append((reason, first, last, view.excerpt(start, end)))
    for match in GESTURES.finditer(text):
        candidates.append(("insult", match.start(), match.end() - 1, match.group()))
    if POLICE_CUE.search(text):
        for match in PIGS.finditer(text):
            candidates.append(("insult", match.start(), match.end() - 1, match.group()))
    for match in MASKED_PAIR.finditer(text):
        candidates.append(("insult", match.start(), match.end() - 1, match.group()))
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
