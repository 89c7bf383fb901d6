"""Rewrite a question into plain lowercase words for matching, remembering where each came from.

Every view is a `Mapped`: the rewritten text plus, for each of its characters, the index of the
original character it came from, so that a match can be shown to the moderator as the author
wrote it ("c0nn4rd", "c.o.n.n.a.r.d"). Only the standard library is used (Unidecode is GPL).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = "'’‘ʼ`´′ʹ"
# Arabic letters with variants that authors use interchangeably; folding them lets one lexicon
# entry match every spelling (alef with hamza or madda, alef maqsura, teh marbuta, Persian kaf/yeh).
_ARABIC = str.maketrans({"ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي", "ـ": ""})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d"})
# Leet characters only ever replace letters inside a word that already has letters: "c0nn4rd" is
# "connard" but "2020" and "450" stay numbers.
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                      "@": "a", "$": "s", "€": "e"})

# Cyrillic and Greek letters that look like Latin ones, after casefolding: "сοnnаrd" written
# with Cyrillic с and а and a Greek ο reads "connard". Applied only to words that mix them with
# Latin letters, or to every word of a text written mostly in Latin letters, so that Russian,
# Ukrainian or Greek questions keep their own letters.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ь": "b", "г": "r", "и": "u", "л": "n",
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    "ϲ": "c", "ϳ": "j",
})
# Capitals read by their own shape, not their lowercase's: Greek "Ν" is an N though "ν" is a v
# ("ΝΙQUΕ LΑ ΒΑC").
UPPER_CONFUSABLES = {
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "А": "a", "В": "b", "Е": "e", "К": "k",
    "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t", "Х": "x", "У": "y", "І": "i",
}
_LOOKALIKE = frozenset(chr(code) for code in CONFUSABLES)
_SEPARATORS = " .\\-_*·•~+|/"
_SINGLE = r"[^\W_]|[@$€]"
# Three or more one-character tokens in a row, spaced or dotted: "c o n n a r d", "c.o.n".
_SPACED_LETTERS = re.compile(
    rf"(?<![\w@$€])(?:{_SINGLE})(?:[{re.escape(_SEPARATORS)}]+(?:{_SINGLE})(?![\w@$€])){{2,}}"
)
_INNER_SEPARATORS = re.compile(r"(?<=[\w@$€])[.\-_*·•~]+(?=[\w@$€])")
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{2,}")
_TOKEN = re.compile(r"[\w@$€]+")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Mapped:
    """A rewritten text and, per character, the index of the original character behind it."""

    text: str
    pos: tuple[int, ...]
    original: str

    def excerpt(self, start: int, end: int) -> str:
        """The original characters behind text[start:end], with their trailing accents."""
        if start >= end or not self.pos:
            return ""
        first = self.pos[start]
        last = self.pos[end - 1] + 1
        while last < len(self.original) and _is_mark(self.original[last]):
            last += 1
        return self.original[first:last]


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me", "Cf")


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """Casefolded, accent-free form of one character ("" for invisible ones, " " for controls)."""
    category = unicodedata.category(char)
    if category in ("Cc", "Zs", "Zl", "Zp"):
        return " "
    if category in ("Cf", "Mn", "Me", "Cs", "Co", "Cn"):
        return ""
    if char in APOSTROPHES:
        return "'"
    folded = unicodedata.normalize("NFKC", char).casefold().translate(_LIGATURES)
    folded = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in folded if not _is_mark(c)).translate(_ARABIC)


@lru_cache(maxsize=8192)
def clean_char(char: str) -> str:
    """NFKC form of one character, keeping case and accents; "" for invisible ones."""
    category = unicodedata.category(char)
    if category in ("Cc", "Zs", "Zl", "Zp"):
        return " "
    if category in ("Cf", "Cs", "Co", "Cn"):
        return ""
    if char in APOSTROPHES:
        return "'"
    return unicodedata.normalize("NFKC", char)


def _per_char(text: str, convert: Callable[[str], str]) -> Mapped:
    out: list[str] = []
    pos: list[int] = []
    for index, char in enumerate(text):
        converted = convert(char)
        out.append(converted)
        pos.extend([index] * len(converted))
    return Mapped("".join(out), tuple(pos), text)


def _sub(mapped: Mapped, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> Mapped:
    """re.sub that keeps the position map: a replacement spans its match's original range."""
    text, pos = mapped.text, mapped.pos
    out: list[str] = []
    new_pos: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        out.append(text[last:start])
        new_pos.extend(pos[last:start])
        replacement = repl(match)
        out.append(replacement)
        size = len(replacement)
        if size == end - start:
            new_pos.extend(pos[start:end])
        elif size == 1:
            new_pos.append(pos[start])
        elif size > 1:
            span = end - start - 1
            new_pos.extend(pos[start + round(i * span / (size - 1))] for i in range(size))
        last = end
    if last == 0:
        return mapped
    out.append(text[last:])
    new_pos.extend(pos[last:])
    return Mapped("".join(out), tuple(new_pos), mapped.original)


def _join_letters(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if c not in _SEPARATORS)


def _leet(match: re.Match[str]) -> str:
    token = match.group()
    if any(c.isalpha() for c in token):
        return token.translate(LEET)
    return token


def _words(mapped: Mapped) -> Mapped:
    """Collapse everything that is not a letter or digit into single spaces."""
    spaced = _sub(mapped, _NON_WORD, lambda m: " ")
    text = spaced.text
    start = len(text) - len(text.lstrip(" "))
    end = len(text.rstrip(" "))
    if start == 0 and end == len(text):
        return spaced
    return Mapped(text[start:end], spaced.pos[start:end], spaced.original)


@lru_cache(maxsize=4096)
def fold(text: str) -> Mapped:
    """NFKC, casefold, œ→oe, no accents, no zero-width or bidi characters; positions kept."""
    return _per_char(text, fold_char)


@lru_cache(maxsize=4096)
def clean(text: str) -> Mapped:
    """NFKC without invisible characters, case and accents kept: for numbers, plates, links."""
    return _per_char(text, clean_char)


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Lowercase accent-free words separated by single spaces, apostrophes splitting elisions
    ("l'image" → "l image"); for comparing questions with each other."""
    return " ".join(_NON_WORD.sub(" ", fold(text).text).split())


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c.isascii() for c in letters) / len(letters)


def _unconfuse(mapped: Mapped) -> Mapped:
    """Read Cyrillic and Greek look-alikes as Latin letters where they disguise a Latin word."""
    if not any(c in _LOOKALIKE for c in mapped.text):
        return mapped
    everywhere = _latin_share(mapped.text) >= 0.6

    def latin(match: re.Match[str]) -> str:
        token = match.group()
        if not (everywhere or any("a" <= c <= "z" for c in token)):
            return token
        originals = (mapped.original[mapped.pos[i]] for i in range(*match.span()))
        return "".join(UPPER_CONFUSABLES.get(original, char.translate(CONFUSABLES))
                       for char, original in zip(token, originals, strict=True))

    return _sub(mapped, _TOKEN, latin)


# A word with masked letters: "p*te", "enc*lés", "f**k", "s@l*pes" (at least two letters shown;
# leet characters are read as letters, as elsewhere).
MASKED = re.compile(
    r"(?<![\w*#%@$€])(?=(?:[\w@$€*#%]*?[^\W\d_]){2})[\w@$€]*(?:[*#%]+[\w@$€]*)+"
)


def unmask(text: str, resolve: Callable[[str], str | None]) -> Mapped | None:
    """fold(text) with each masked word replaced by what `resolve` reads in it, or None when no
    masked word resolves. `resolve` gets the folded word ("p*te") and answers a word or None."""
    folded = fold(text)
    if not any(c in "*#%" for c in folded.text):
        return None
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = resolve(match.group().translate(LEET))
        if word is None:
            return match.group()
        changed = True
        return word

    rewritten = _sub(folded, MASKED, replace)
    return rewritten if changed else None


# Arabic writes "and" and "so" glued to the next word ("وولد الحرام" is "and son
# of sin"): a further view drops them from words long enough to keep a root of three letters.
_ARABIC_PREFIXED = re.compile(r"(?<![\w])(?:و|ف)(?=[\u0621-\u064a]{3})")


def _views_of(folded: Mapped) -> list[Mapped]:
    joined = _sub(_unconfuse(folded), _SPACED_LETTERS, _join_letters)
    views = [_words(_sub(_sub(joined, _REPEATED_LETTER, lambda m: m.group(1) * 2), _TOKEN, _leet))]
    if _ARABIC_PREFIXED.search(views[0].text):
        views.append(_sub(views[0], _ARABIC_PREFIXED, lambda m: ""))
    if _REPEATED_LETTER.search(joined.text):
        once = _sub(joined, _REPEATED_LETTER, lambda m: m.group(1))
        views.append(_words(_sub(once, _TOKEN, _leet)))
    if _INNER_SEPARATORS.search(joined.text):
        glued = _sub(joined, _INNER_SEPARATORS, lambda m: "")
        glued = _sub(glued, _REPEATED_LETTER, lambda m: m.group(1) * 2)
        views.append(_words(_sub(glued, _TOKEN, _leet)))
    return views


def masked_views(text: str, resolve: Callable[[str], str | None]) -> tuple[Mapped, ...]:
    """The views of `abuse_views`, made from the text with its masked words read by `resolve`."""
    unmasked = unmask(text, resolve)
    return tuple(_views_of(unmasked)) if unmasked is not None else ()


@lru_cache(maxsize=2048)
def abuse_views(text: str) -> tuple[Mapped, ...]:
    """The spellings of a text to search for abusive words, each a space-separated word string.

    Cyrillic and Greek look-alike letters are read as Latin ones first (see CONFUSABLES).
    The first view joins spaced single letters ("c o n"), squeezes letters repeated three times
    or more to two ("connnnard" → "connard"), and reads leet inside words ("c0nn4rd"). Extra
    views, only when they differ: letters squeezed to one ("salooope" → "salope"), and hyphens
    or dots inside words removed ("con-nard", "en.cu.lé").
    """
    return tuple(_views_of(fold(text)))


def word_form(word: str) -> str:
    """One lexicon word written the way `abuse_views` writes a text ("9a7ba" → "9atba")."""
    folded = "".join(fold_char(c) for c in word)
    folded = _REPEATED_LETTER.sub(lambda m: m.group(1) * 2, folded)
    folded = _TOKEN.sub(lambda m: _leet(m), folded)
    return " ".join(_NON_WORD.sub(" ", folded).split())
