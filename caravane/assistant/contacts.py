"""Find the ways to reach a person in a question: phone numbers, e-mail addresses, social
handles and profile pages, however they are disguised.

Every finder answers (reason, start, end) spans over `clean(text).text`, which has the same
length as the question minus its invisible characters, so evidence is shown as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

from .normalize import clean, plain
from .public import is_public_account

Span = tuple[str, int, int]

# --- phone numbers -----------------------------------------------------------------------

_SEP = r"[ \t.\-/]?"
# French numbers: 0X XX XX XX XX, +33 X..., +33 (0)X..., 0033 X...; pairs glued or separated by
# one space, dot, dash or slash. "2020", "450 caméras", "de 50 à 300" are too short.
PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)[ ]?33[ ]?(?:\(0\)[ ]?)?[1-9]|0[1-9])(?:{_SEP}\d{{2}}){{4}}(?!\d)"
    # other countries in international form: +32 470 12 34 56, +44 7700 900123
    rf"|(?<![\w+])(?:\+|00)[ ]?(?!33)[1-9]\d{{0,2}}[ ]?(?:\(0\)[ ]?)?\d(?:[ .\-/]?\d){{6,11}}(?!\d)"
)
# A run that may be a phone number once its look-alike characters are read as digits:
# "O6 1O 52 73 O9" (the letter O), "٠٧ ٤٥ ٢٢ ٨١ ٣٦" (Arabic-Indic digits).
_O = r"(?<![^\W\d_])[Oo](?![^\W\d_])"  # a letter O standing alone among digits
_DIGITISH = re.compile(rf"[+(]?(?:\d|{_O})(?:\d|{_O}|[() .\-/]){{7,22}}(?:\d|{_O})")
MIN_PHONE_DIGITS = 9
# Numbers of public services and of the organisations of the debate, said to be called:
# "le numéro de la CNIL", "le standard de la mairie". Not the number of a person.
PUBLIC_NUMBER_CUE = re.compile(
    r"(?:num[ée]ro|n°|t[ée]l[ée]phone|t[ée]l\.?|standard|ligne|accueil|permanence|hotline)"
    r"\s+(?:\w+\s+){0,2}(?:de\s+la|du|de\s+l['’]|des)\s+"
    r"(?:cnil|mairie|pr[ée]fecture|commissariat|gendarmerie|police|ville|m[ée]tropole|mel|"
    r"d[ée]fenseur|d[ée]fenseure|ldh|ligue|cimade|quadrature|association|asso|tribunal|"
    r"barreau|samu|croix[- ]rouge|secours|115|h[ôo]pital|caf|pr[ée]fet|minist[eè]re|"
    r"utopia|auberge|human rights|hro|conseil|d[ée]partement|r[ée]gion|cada)",
    re.IGNORECASE,
)


# French numbers starting with 08 (free, shared-cost and premium lines) are services'.
SERVICE_NUMBER = re.compile(r"(?:0|(?:\+|00)\s?33\s?(?:\(0\)\s?)?)[ .\-]?8")


def _digit(char: str) -> str:
    """ASCII digit for any decimal digit or the letters O and o; the character otherwise."""
    if char in "Oo":
        return "0"
    if char.isdecimal():
        return str(unicodedata.decimal(char, 0))
    return char


@lru_cache(maxsize=2048)
def digits_view(text: str) -> str:
    """clean(text).text with look-alike digits read as digits inside number-like runs, same
    length (so spans map back): "O6 1O 52" → "06 10 52", Arabic-Indic digits → 0-9."""
    body = clean(text).text
    out = list(body)
    for match in _DIGITISH.finditer(body):
        run = match.group()
        if sum(c.isdecimal() for c in run) < 6:
            continue  # "Oooo 1" is no number
        for index in range(match.start(), match.end()):
            out[index] = _digit(out[index])
    return "".join(out)


_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16,
}
_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
         "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}
_NUMBER_WORD = re.compile(
    r"\b(?:" + "|".join(sorted({*_UNITS, *_TENS, "et"}, key=len, reverse=True)) + r")\b"
)
_SPELLED_RUN = re.compile(
    r"(?:\b(?:" + "|".join(sorted({*_UNITS, *_TENS}, key=len, reverse=True)) + r")\b"
    r"(?:[\s,.\-]+(?:et[\s\-]+)?|$)){5,}"
)


def _read_numbers(words: list[str]) -> list[int]:
    """French number words to numbers 0-99: "quatre vingt dix" → [90], "zero six" → [0, 6]."""
    numbers: list[int] = []
    i = 0
    while i < len(words):
        word = words[i]
        value: int | None = None
        if word == "quatre" and i + 1 < len(words) and words[i + 1] in ("vingt", "vingts"):
            value, i = 80, i + 2
        elif word in _TENS:
            value, i = _TENS[word], i + 1
        elif word == "dix" and i + 1 < len(words) and words[i + 1] in ("sept", "huit", "neuf"):
            value, i = 10 + _UNITS[words[i + 1]], i + 2
            numbers.append(value)
            continue
        elif word in _UNITS:
            numbers.append(_UNITS[word])
            i += 1
            continue
        else:
            i += 1
            continue
        # after a ten: "et un", a unit, or (for 60 and 80) ten to nineteen
        if i < len(words) and words[i] == "et":
            i += 1
        if i < len(words):
            nxt = words[i]
            if value in (60, 80) and nxt == "dix" and i + 1 < len(words) and words[i + 1] in (
                "sept", "huit", "neuf"
            ):
                value += 10 + _UNITS[words[i + 1]]
                i += 2
            elif nxt in _UNITS and (
                1 <= _UNITS[nxt] <= 9 or (value in (60, 80) and 10 <= _UNITS[nxt] <= 16)
            ):
                value += _UNITS[nxt]
                i += 1
        numbers.append(value)
    return numbers


def spelled_phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers written in French words: "zéro six, douze, quarante-cinq, trente-trois,
    quatre-vingt-dix" reads 06 12 45 33 90."""
    folded = plain(text)
    if not _NUMBER_WORD.search(folded):
        return []
    body = clean(text).text
    lowered = "".join(
        c if c.isascii() else unicodedata.normalize("NFKD", c)[0] for c in body.lower()
    )
    spans = []
    for match in _SPELLED_RUN.finditer(lowered):
        words = re.findall(r"[a-z]+", match.group())
        digits = "".join(str(n) for n in _read_numbers(words))
        if len(digits) >= MIN_PHONE_DIGITS + 1 and digits.startswith("0"):
            spans.append((match.start(), match.end()))
    return spans


def _library_spans(view: str) -> list[tuple[int, int]]:
    """Numbers libphonenumber sees as possible in France or in international form."""
    matcher = phonenumbers.PhoneNumberMatcher(view, "FR", leniency=phonenumbers.Leniency.POSSIBLE)
    return [(match.start, match.end) for match in matcher]


def _phone_candidates(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(private, public) phone numbers in clean(text): a public one is said to be a public
    body's or a service's ("le numéro de la CNIL", 08 numbers)."""
    view = digits_view(text)
    if sum(c.isdigit() for c in view) < MIN_PHONE_DIGITS:
        return spelled_phone_spans(text), []
    spans = [m.span() for m in PHONE.finditer(view)]
    for start, end in _library_spans(view):
        if sum(c.isdigit() for c in view[start:end]) >= MIN_PHONE_DIGITS and not any(
            start < e and s < end for s, e in spans
        ):
            spans.append((start, end))
    kept, public = [], []
    for start, end in spans:
        before = view[max(0, start - 60) : start]
        if PUBLIC_NUMBER_CUE.search(before) or SERVICE_NUMBER.match(view, start):
            # "le numéro de la CNIL, c'est bien le 01 53 73 22 22 ?"; 08 numbers belong to
            # services and companies, not to persons
            public.append((start, end))
        else:
            kept.append((start, end))
    return kept + spelled_phone_spans(text), public


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers in any common French or international writing."""
    return _phone_candidates(text)[0]


def public_phone_spans(text: str) -> list[tuple[int, int]]:
    """Numbers of public bodies and services, which are not personal data."""
    return _phone_candidates(text)[1]


# --- e-mail addresses ----------------------------------------------------------------------

_TLD = r"(?:com|fr|net|org|eu|be|info|io|me|co|uk|de|es|it|ch|ma|dz|tn|biz)"
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+")
_AT = (
    r"(?:\s*[\[\(\{<]\s*(?:at|arobase|arrobase|@)\s*[\]\)\}>]\s*"
    r"|\s+(?:at|arobase|arrobase|chez)\s+|\s+@\s*|\s*@\s+)"
)
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|point|pt)\s*[\]\)\}>]\s*|\s+(?:dot|point)\s+|\s*\.\s*)"
# "jean [at] gmail [dot] com", "nadia point b arobase hotmail point fr", "karim.h @ outlook . fr"
EMAIL_SPELLED = re.compile(
    rf"(?<![\w.+\-])[\w+\-]{{1,64}}(?:{_DOT}[\w+\-]{{1,64}}){{0,3}}{_AT}[\w\-]{{1,63}}"
    rf"(?:{_DOT}[\w\-]{{1,63}}){{0,3}}{_DOT}{_TLD}\b",
    re.IGNORECASE,
)
_MAILBOX = (
    r"(?:g\s?mail|gmail\.com|hotmail|outlook|yahoo|mail|e-?mail|courriel|adresse\s+(?:e-?)?mail|"
    r"protonmail|proton|icloud|laposte|orange|free|sfr|wanadoo|live|msn)"
)
# "mon gmail, c'est yanis.benali59", "son mail : kevin_59": a mailbox named, then an account.
MAILBOX_NAMED = re.compile(
    rf"(?<!\w)(?:mon|ma|son|sa|ton|ta|notre|leur|votre|my|his|her|their|our|your)\s+{_MAILBOX}"
    r"\s*(?:,\s*)?(?:c['’]\s?est|est|:|=|is|it['’]s|->)?\s*(?:le\s+|l['’])?"
    r"(?P<account>[A-Za-z][\w\-]*(?:[._][\w\-]+)+|[A-Za-z][A-Za-z_\-]*\d+[\w\-]*)",
    re.IGNORECASE,
)
# "ahmed.k88 على جيميل", "الإيميل: ahmed.k88", "ahmed.k88 sur gmail"
ACCOUNT_ON_MAILBOX = re.compile(
    r"(?P<account>(?<![\w.@])[A-Za-z][\w\-]*(?:[._][\w\-]+)+|(?<![\w.@])[A-Za-z][A-Za-z_\-]*\d+"
    r"[\w\-]*)\s+(?:على|ف|في|sur|on|chez|at)\s*(?:جيميل|جي\s?ميل|هوتميل|gmail|hotmail|outlook"
    r"|yahoo|protonmail)"
    r"|(?:ال)?(?:إ|ا)يميل(?:ي|و|ه)?\s*[:：]?\s*(?P<account2>[A-Za-z][\w\-]*(?:[._][\w\-]+)+"
    r"|[A-Za-z][A-Za-z_\-]*\d+[\w\-]*)",
    re.IGNORECASE,
)


def email_spans(text: str) -> list[tuple[int, int]]:
    """E-mail addresses, written plainly, spelled out, or named by their mailbox."""
    body = clean(text).text
    spans = [m.span() for m in EMAIL.finditer(body)]
    spans += [m.span() for m in EMAIL_SPELLED.finditer(body)]
    spans += [m.span() for m in MAILBOX_NAMED.finditer(body)]
    spans += [m.span() for m in ACCOUNT_ON_MAILBOX.finditer(body)]
    return spans


# --- handles and profiles --------------------------------------------------------------------

HANDLE = re.compile(r"(?<![\w@.#/])@(?P<name>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
_PLATFORM = (
    r"(?:insta|instagram|facebook|fb|snap|snapchat|tiktok|tik\s?tok|twitter|x|telegram|"
    r"linkedin|youtube|twitch|discord|whatsapp|signal|threads|bluesky|mastodon|reddit|vk)"
)
# "sur insta elle s'appelle lea.dbs59", "son snap c'est kev_59", "on TikTok he is @…"
PLATFORM_NAMED = re.compile(
    rf"(?<!\w)(?:sur|son|sa|ton|ta|mon|leur|on|his|her|their)\s+"
    r"(?:(?:compte|profil|pseudo|page|account|profile|handle)\s+)?"
    rf"{_PLATFORM}\s*(?:(?:compte|profil|pseudo|account|profile|handle)\s*)?,?\s*"
    r"(?:(?:il|elle|he|she|they)\s+)?(?:s['’]appelle|c['’]\s?est|est|:|=|is|it['’]s|as|under|"
    r"sous le nom(?: de)?|au nom de|->)\s*"
    r"(?P<account>@?[A-Za-z][\w\-]*(?:[._][\w\-]+)+|@?[A-Za-z][A-Za-z_\-]*\d+[\w\-]*|"
    r"@[A-Za-z][\w.]+)",
    re.IGNORECASE,
)
_SOCIAL = (
    r"(?:facebook\.com|fb\.com|m\.facebook\.com|instagram\.com|twitter\.com|x\.com|"
    r"tiktok\.com|linkedin\.com/in|snapchat\.com/add|t\.me|youtube\.com|twitch\.tv|"
    r"threads\.net|bsky\.app/profile|vk\.com)"
)
PROFILE_URL = re.compile(
    rf"(?:https?://)?(?:www\.)?{_SOCIAL}/(?P<account>@?[\w.\-]+)[^\s]*", re.IGNORECASE
)
# The author advertising their own channel is spam, not someone else's personal data.
SELF_PROMOTION = re.compile(
    r"(?<!\w)(?:my|mon|ma|notre|nos|our)\s+(?:channel|cha[iî]ne|page|compte|account|insta|"
    r"profil|profile|tiktok|youtube|collectif|asso|association|groupe|group|site|blog|podcast|"
    r"newsletter|cagnotte|boutique|shop|store)\b|(?<!\w)(?:abonnez|abonne-toi|follow\s+(?:me|us)|"
    r"suivez[- ](?:moi|nous)|suivez\s+(?:notre|nos)|rejoignez|subscribe|check\s+(?:out\s+)?my)",
    re.IGNORECASE,
)


def handle_spans(text: str) -> list[tuple[int, int]]:
    """@handles of people (not of the debate's public organisations: @laquadrature), and
    accounts named on a platform ("sur insta elle s'appelle lea.dbs59")."""
    body = clean(text).text
    spans = [
        m.span() for m in HANDLE.finditer(body) if not is_public_account(m.group("name"))
    ]
    for match in PLATFORM_NAMED.finditer(body):
        if not is_public_account(match.group("account").lstrip("@")):
            spans.append(match.span("account"))
    return spans


def profile_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """(spans of profile pages of people, whether the author promotes their own)."""
    body = clean(text).text
    spans = [
        m.span() for m in PROFILE_URL.finditer(body)
        if not is_public_account(m.group("account").lstrip("@"))
    ]
    return spans, bool(spans and SELF_PROMOTION.search(body))


def find_contacts(text: str) -> list[Span]:
    """(reason, start, end) of every phone, e-mail, handle and profile found."""
    found: list[Span] = []
    profiles, promoted = profile_spans(text)
    if not promoted:
        found += [("profile", s, e) for s, e in profiles]
    found += [("email", s, e) for s, e in email_spans(text)]
    found += [("phone", s, e) for s, e in phone_spans(text)]
    found += [("handle", s, e) for s, e in handle_spans(text)]
    return found
