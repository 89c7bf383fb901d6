"""Find personal data in a question: phone numbers, e-mail addresses, number plates, street
addresses and names of private persons.

Everything found is shown to the moderator as written; nothing is hidden or removed here.
Public figures (lexicons/public_names.txt) are never reported as private persons.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .data import data_lines
from .flags import Flag, clip
from .normalize import Mapped, clean, plain

_SEP = r"[ \t.\-]?"
# French numbers: 0X XX XX XX XX, +33 X..., +33 (0)X..., 0033 X...; pairs may be glued or
# separated by one space, dot or dash. "2020", "450 caméras", "de 50 à 300" are too short.
PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)[ ]?33[ ]?(?:\(0\)[ ]?)?[1-9]|0[1-9])(?:{_SEP}\d{{2}}){{4}}(?!\d)"
    # other countries in international form: +32 470 12 34 56, +44 7700 900123
    rf"|(?<![\w+])(?:\+|00)[ ]?(?!33)[1-9]\d{{0,2}}[ ]?(?:\(0\)[ ]?)?\d(?:[ .\-]?\d){{6,11}}(?!\d)"
)
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+")
_AT = r"(?:\s*[\[\(\{<]\s*(?:at|arobase|@)\s*[\]\)\}>]\s*|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|point)\s*[\]\)\}>]\s*|\s+(?:dot|point)\s+|\.)"
# "jean [at] gmail [dot] com", "jean arobase gmail point fr"
EMAIL_SPELLED = re.compile(
    rf"(?<![\w.+\-])[\w.+\-]{{1,64}}{_AT}[\w\-]{{1,63}}(?:{_DOT}[\w\-]{{1,63}}){{0,3}}"
    rf"{_DOT}(?:com|fr|net|org|eu|be|info|io|me)\b",
    re.IGNORECASE,
)
_PLATE_LETTER = "[A-HJ-NP-TV-Z]"
PLATE = re.compile(
    # since 2009: AB-123-CD (dashes, spaces or nothing); lowercase only with dashes
    rf"(?<![\w\-]){_PLATE_LETTER}{{2}}([ \-]?)\d{{3}}\1{_PLATE_LETTER}{{2}}(?![\w\-])"
    r"|(?<![\w\-])(?i:[a-hj-np-tv-z]{2}-\d{3}-[a-hj-np-tv-z]{2})(?![\w\-])"
    # before 2009: 1234 AB 59, 123 ABC 75, 2A and 2B for Corsica
    r"|(?<![\w\-])\d{2,4}[ \-]?[A-Z]{2,3}[ \-]?(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?![\w\-])"
)
_STREET_ALWAYS = (
    r"rue|avenue|av\.?|bd|boulevard|bvd|impasse|all[ée]e|chemin|quai|faubourg|fbg|"
    r"r[ée]sidence|lotissement|sentier|chauss[ée]e|rond-point"
)
# Words that are also common nouns ("il reste 1 place", "3 cours"): only before a capital.
_STREET_CAPITAL = r"place|pl\.|route|rte|cours|square|cit[ée]|passage|voie|mail|parvis|esplanade"
ADDRESS = re.compile(
    r"(?<![\w,.])\d{1,4}(?:\s?(?:bis|ter|quater|[btBT])\b)?,?\s+"
    r"(?:"
    rf"(?i:{_STREET_ALWAYS})\s+(?:[dD]es?\s+|[dD]u\s+|[dD]e\s+la\s+|[dD]'|[lL]'|[lL]a\s+|[lL]e\s+)?"
    r"[^\W\d_][\w'’\-]*"
    rf"|(?i:{_STREET_CAPITAL})\s+(?:[dD]es?\s+|[dD]u\s+|[dD]e\s+la\s+|[dD]'|[lL]'|[lL]a\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
    r")"
    r"(?:\s+(?:(?:de|du|des|la|le)\s+|d['’]|l['’])?[A-ZÀ-ÖØ-Þ][\w'’\-]*){0,3}"
)

_RELATIVES = (
    "voisin|voisine|voisins|voisines|collègue|collègues|collegue|collegues|patron|patronne|"
    "chef|cheffe|cousin|cousine|frère|frere|sœur|soeur|beau-frère|belle-sœur|belle-soeur|ex|"
    "copain|copine|mari|femme|épouse|époux|epouse|epoux|fils|fille|neveu|nièce|niece|oncle|"
    "tante|prof|professeur|professeure|instit|institutrice|instituteur|médecin|medecin|"
    "gardien|gardienne|concierge|propriétaire|proprietaire|proprio|locataire|bailleur|"
    "ami|amie|pote|conjoint|conjointe|compagnon|compagne|belle-mère|beau-père|nounou|"
    "employeur|employeuse|manager|responsable|chef de service|agent|agente"
)
RELATIVE = re.compile(
    rf"(?<!\w)(?:mon|ma|mes|notre|nos|ton|ta|tes|son|sa|ses|leur|leurs|votre|vos)\s+"
    rf"(?:{_RELATIVES})(?:\s*,)?\s+(?:(?:qui\s+)?s['’]appelle\s+|nommée?\s+|appelée?\s+)?"
    r"(?=[A-ZÀ-ÖØ-Þ])",
    re.IGNORECASE,
)
CIVILITY = re.compile(
    r"(?<![\w.])(?:M\.|MM\.|Mr\.?|Mme\.?|Mlle\.?|Madame|Monsieur|Mademoiselle|Docteur|Dr\.?)"
    r"\s+(?=[A-ZÀ-ÖØ-Þ])"
)
NAMED = re.compile(r"(?<!\w)(?:s['’]appelle|prénommée?|nommée?)\s+(?=[A-ZÀ-ÖØ-Þ])", re.IGNORECASE)
NAME_WORD = re.compile(r"[^\W\d_]+(?:[\-'’][^\W\d_]+)*")
# Capitalised words that follow a civility or a first name without being a surname.
_NOT_SURNAMES = """
    le la les l du de des un une maire maires prefet prefete president presidente ministre
    depute deputee senateur senatrice adjoint adjointe commissaire directeur directrice
    lille roubaix calais tourcoing paris france mel cnil vsa jo et ou mais donc car ni or
    je tu il elle on nous vous ils elles est a au aux pour par sur avec sans dans en ce cette
    ces qui que quoi comment pourquoi combien quand si oui non merci bonjour bonsoir
"""
NOT_SURNAMES = frozenset(_NOT_SURNAMES.split())
SENTENCE_END = ".!?…:;\n\"«»"


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    return frozenset(plain(name) for name in data_lines("first_names.txt"))


@lru_cache(maxsize=1)
def public_names() -> tuple[frozenset[str], frozenset[str]]:
    """(full names, surnames) of public figures, as `plain` writes them."""
    full = {plain(name) for name in data_lines("public_names.txt")}
    surnames = {name.split(" ")[-1] for name in full}
    for name in full:  # "Marine Le Pen" covers "Mme Le Pen", "Charles de Gaulle" "de Gaulle"
        words = name.split(" ")
        if len(words) > 2:
            surnames.add(" ".join(words[1:]))
    return frozenset(full), frozenset(surnames)


def _is_public(name: str) -> bool:
    full, surnames = public_names()
    folded = plain(name)
    words = folded.split(" ")
    return (
        folded in full
        or folded in surnames
        or words[-1] in surnames
        or " ".join(words[1:]) in surnames
    )


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and plain(word) not in NOT_SURNAMES


def _name_after(text: str, start: int, words: int = 2) -> tuple[int, int] | None:
    """Span of up to `words` capitalised words starting at `start` (spaces between)."""
    end = start
    taken = 0
    position = start
    while taken < words:
        match = NAME_WORD.match(text, position)
        if not match or not _capitalised(match.group()):
            break
        end = match.end()
        taken += 1
        gap = re.match(r"[ \t]+(?:(?:de|du|d'|le|la|van|von)[ \t]+)?", text[end:])
        if not gap:
            break
        position = end + gap.end()
    return (start, end) if taken else None


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in SENTENCE_END


def _person_names(mapped: Mapped) -> list[tuple[int, int]]:
    text = mapped.text
    spans: list[tuple[int, int]] = []
    names = first_names()
    for pattern in (RELATIVE, CIVILITY, NAMED):
        for match in pattern.finditer(text):
            span = _name_after(text, match.end())
            if not span:
                continue
            if pattern is NAMED and plain(text[span[0] : span[1]]).split(" ")[0] not in names:
                continue  # "le logiciel s'appelle Map Revelation"
            spans.append((match.start(), span[1]) if pattern is CIVILITY else span)
    words = list(NAME_WORD.finditer(text))
    for current, following in zip(words, words[1:], strict=False):
        first = current.group()
        if not first[:1].isupper() or first.isupper() or plain(first) not in names:
            continue
        if text[current.end():following.start()].strip(" \t") or _sentence_initial(
            text, current.start()
        ):
            continue
        span = _name_after(text, following.start(), words=1)
        if span:
            spans.append((current.start(), span[1]))
    kept = []
    for start, end in sorted(spans):
        if kept and start < kept[-1][1]:
            continue
        name = CIVILITY.sub("", text[start:end])
        if not _is_public(name):
            kept.append((start, end))
    return kept


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@lru_cache(maxsize=2048)
def find_personal_data(text: str) -> tuple[Flag, ...]:
    """Personal-data flags in the order phone, email, plate, address, person_name."""
    mapped = clean(text)
    body = mapped.text
    found: list[tuple[str, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []

    def add(reason: str, spans: list[tuple[int, int]]) -> None:
        for start, end in spans:
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append((reason, (start, end)))

    add("email", _spans(EMAIL, body) + _spans(EMAIL_SPELLED, body))
    add("phone", _spans(PHONE, body))
    add("plate", _spans(PLATE, body))
    add("address", _spans(ADDRESS, body))
    add("person_name", _person_names(mapped))
    order = {"phone": 0, "email": 1, "plate": 2, "address": 3, "person_name": 4}
    flags = []
    seen = set()
    for reason, (start, end) in sorted(found, key=lambda f: (order[f[0]], f[1])):
        evidence = clip(mapped.excerpt(start, end).strip())
        if (reason, evidence) not in seen:
            seen.add((reason, evidence))
            flags.append(Flag("personal_data", reason, evidence))
    return tuple(flags)


def email_spans(text: str) -> list[tuple[int, int]]:
    """Where e-mail addresses are in clean(text).text, so that links inside them are skipped."""
    body = clean(text).text
    return _spans(EMAIL, body) + _spans(EMAIL_SPELLED, body)
