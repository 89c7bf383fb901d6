"""Find private persons named in a question, and police officers' identification numbers.

A name is reported when something says a private person is meant: a relation ("ma voisine",
"mon collègue"), a job that is not a public office ("l'agent", "le brigadier", "le CRS",
"l'opérateur"), a civility ("Mme"), a naming verb ("il s'appelle", "اسمو"), or a listed first
name followed by a surname. Public persons (public.py) are never reported, wherever they
stand in the sentence, nor are names right after a public office ("le maire X").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .data import data_lines
from .normalize import Mapped, clean, plain
from .public import first_names, is_public_name

Span = tuple[str, int, int]

_RELATIONS = (
    r"voisin|voisine|voisins|voisines|coll[èe]gue|coll[èe]gues|patron|patronne|chef|cheffe|"
    r"cousin|cousine|fr[èe]re|s(?:œ|oe)ur|beau-fr[èe]re|belle-s(?:œ|oe)ur|ex|copain|copine|"
    r"mari|femme|[ée]pouse|[ée]poux|fils|fille|neveu|ni[èe]ce|oncle|tante|prof|professeur|"
    r"professeure|instit|institutrice|instituteur|m[ée]decin|gardien|gardienne|concierge|"
    r"propri[ée]taire|proprio|locataire|bailleur|ami|amie|pote|conjoint|conjointe|compagnon|"
    r"compagne|belle-m[èe]re|beau-p[èe]re|nounou|employeur|employeuse|manager|responsable|"
    r"chef\s+de\s+service|chef\s+d['’][ée]quipe|coloc|colocataire|camarade|"
    r"neighbour|neighbor|colleague|boss|cousin|brother|sister|friend|landlord|husband|wife"
)
RELATIVE = re.compile(
    rf"(?<!\w)(?:mon|ma|mes|notre|nos|ton|ta|tes|son|sa|ses|leur|leurs|votre|vos|my|our|his|"
    rf"her|their)\s+(?:{_RELATIONS})(?:\s*,)?\s+(?:(?:qui\s+)?s['’]appelle\s+|nomm[ée]e?\s+|"
    r"appel[ée]e?\s+|called\s+|named\s+)?",
    re.IGNORECASE,
)
# Jobs whose holders are private persons: naming one in a question is naming a person.
_ROLES = (
    r"agent|agente|agents|policier|polici[èe]re|flic|keuf|gendarme|crs|brigadier|"
    r"brigadier-chef|sous-brigadier|gardien\s+de\s+la\s+paix|lieutenant|capitaine|commandant|"
    r"major|adjudant|officier|op[ée]rateur|op[ée]ratrice|technicien|technicienne|vigile|"
    r"agent\s+de\s+s[ée]curit[ée]|chauffeur|contr[ôo]leur|contr[ôo]leuse|douanier|douani[èe]re|"
    r"surveillant|surveillante|g[ée]rant|g[ée]rante|employ[ée]e?|salari[ée]e?|b[ée]n[ée]vole|"
    r"militant|militante|type|gars|mec|nana|meuf|dame|jeune|voisin|voisine|"
    r"officer|sergeant|sergent|constable|cop|guard|operator|technician|pc|dc|inspector|"
    r"inspecteur|inspectrice|enqu[êe]teur|enqu[êe]trice"
)
ROLE = re.compile(
    rf"(?<!\w)(?:l['’]\s?|le\s+|la\s+|les\s+|un\s+|une\s+|ce\s+|cet\s+|cette\s+|the\s+|an?\s+)?"
    rf"(?:{_ROLES})(?:\s+(?:de\s+la\s+|du\s+|de\s+l['’]|des\s+)?(?:bac|paf|crs|csu|police|"
    r"municipale|nationale|brigade|s[ûu]ret[ée]|commissariat|pr[ée]fecture|gendarmerie))?"
    r"\s+",
    re.IGNORECASE,
)
# Offices whose holders are public persons: a name after one of these is never reported.
PUBLIC_OFFICE = re.compile(
    r"(?:maire|maires|adjointe?|pr[ée]f[eè]te?|sous-pr[ée]f[eè]te?|ministre|d[ée]put[ée]e?|"
    r"s[ée]natrice|s[ée]nateur|pr[ée]sidente?|conseill[eè]re?|[ée]lue?|secr[ée]taire\s+d['’][ée]tat|"
    r"directeur|directrice|commissaire|procureure?|juge|avocate?|ma[iî]tre|me|journaliste|"
    r"auteure?|autrice|[ée]crivaine?|chercheuse|chercheur|sociologue|historienne?|"
    r"porte-parole|mayor|minister|prefect|president|senator|mp|author|writer|journalist|"
    r"lawyer|judge)(?:\s+(?:de|du|des|d['’])\s*(?:la\s+|l['’])?[\w\-]+){0,2}\s*,?\s*$",
    re.IGNORECASE,
)
CIVILITY = re.compile(
    r"(?<![\w.])(?:M\.|MM\.|Mr\.?|Mrs\.?|Ms\.?|Mme\.?|Mlle\.?|Madame|Monsieur|Mademoiselle|"
    r"Docteur|Dr\.?)\s+(?=[A-ZÀ-ÖØ-Þ])"
)
NAMING = re.compile(
    r"(?<!\w)(?:(?:il|elle|he|she)\s+)?(?:s['’]appelle|s['’]appelait|prénommée?|nommée?|"
    r"his\s+name\s+is|her\s+name\s+is|is\s+called|named)\s+",
    re.IGNORECASE,
)
# A person spoken of before a naming verb: "le flic qui m'a tapé s'appelle Steven Caron".
PERSON_BEFORE = re.compile(
    rf"(?<!\w)(?:{_ROLES}|{_RELATIONS}|homme|femme|fille|garçon|garcon|gamin|gamine|personne|"
    r"man|woman|guy|girl|boy)\b",
    re.IGNORECASE,
)
# Arabic and Darija: "اسمو كريم بوزيد" (his name is…), "كيتسمى", "سميتو"
ARABIC_NAMING = re.compile(
    r"(?:اسمو|اسمه|اسمها|إسمو|إسمه|إسمها|سميتو|سميتها|سميتهم|كيتسمى|كتسمى|يسمى|تسمى|"
    r"يدعى|تدعى|اسمه هو)\s*:?\s*(?P<name>[\u0621-\u064a]{2,}(?:\s+[\u0621-\u064a]{2,})?)"
)
NAME_WORD = re.compile(r"[^\W\d_]+(?:[\-'’][^\W\d_]+)*\.?")
SENTENCE_END = ".!?…:;\n\"«»"


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    return frozenset(plain(word) for word in data_lines("acronyms.txt"))


@lru_cache(maxsize=1)
def not_surnames() -> frozenset[str]:
    """Words that follow a role or a first name without being a surname (lexicons)."""
    return frozenset(plain(word) for word in data_lines("not_surnames.txt"))


def _surname_like(word: str, lowercase_ok: bool) -> bool:
    folded = plain(word.rstrip("."))
    if not folded or folded in not_surnames() or len(folded) < 2:
        return False
    if word.isupper() and (len(word) <= 4 or folded in acronyms()):
        return False  # "le policier PAF", "l'agent CSU": an acronym, not a surname
    if word[:1].isupper():
        return True
    return lowercase_ok and folded.isalpha()


def _name_after(text: str, start: int, words: int = 2, lowercase: bool = False) -> int | None:
    """End of up to `words` name words starting at `start`, or None. Lowercase words count
    only with `lowercase` (after a relation: "ma collègue sandrine vasseur")."""
    end = None
    position = start
    for taken in range(words):
        match = NAME_WORD.match(text, position)
        if not match:
            break
        word = match.group()
        # a lowercase name must start with a listed first name, then one more word
        if lowercase and not word[:1].isupper() and taken == 0 and plain(word) not in first_names():
            break
        if not _surname_like(word, lowercase):
            break
        end = match.end() - (1 if word.endswith(".") and len(word) > 2 else 0)
        gap = re.match(r"[ \t]+(?:(?:de|du|d'|le|la|van|von|ben|ibn|el|al)[ \t]+)?", text[end:])
        if not gap:
            break
        position = end + gap.end()
    return end


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in SENTENCE_END


def _after_public_office(text: str, start: int) -> bool:
    return bool(PUBLIC_OFFICE.search(text[max(0, start - 50) : start]))


def _street_before(text: str, start: int) -> bool:
    """Streets, schools and stations carry people's names: "rue Jean Jaurès"."""
    before = plain(text[max(0, start - 25) : start]).split(" ")
    return bool(before) and before[-1] in {
        "rue", "avenue", "av", "bd", "boulevard", "place", "quai", "allee", "impasse", "square",
        "cours", "chemin", "ecole", "lycee", "college", "gare", "stade", "salle", "centre",
        "hopital", "parc", "pont", "residence", "cite", "station", "fondation", "institut",
        "prix", "loi", "rapport", "affaire", "street", "road", "st", "saint", "sainte",
    }


def _first_name_pairs(text: str) -> list[tuple[int, int]]:
    """A listed first name, then a capitalised surname: "Julien Mercier", "Daniel MOREL"."""
    names = first_names()
    spans = []
    for match in NAME_WORD.finditer(text):
        first = match.group()
        if not first[:1].isupper() or (first.isupper() and len(first) > 1):
            continue
        if plain(first) not in names:
            continue
        gap = re.match(r"[ \t]+", text[match.end():])
        if not gap:
            continue
        following = NAME_WORD.match(text, match.end() + gap.end())
        if not following or not _surname_like(following.group(), False):
            continue
        if following.group()[:1].islower():
            continue
        end = _name_after(text, following.start(), words=1)
        if end:
            spans.append((match.start(), end))
    return spans


def person_spans(mapped: Mapped) -> list[tuple[int, int]]:
    """Spans of names of private persons in clean(text)."""
    return _person_candidates(mapped)[0]


def public_person_spans(mapped: Mapped) -> list[tuple[int, int]]:
    """Spans of names in clean(text) that are public persons' (or follow a public office)."""
    return _person_candidates(mapped)[1]


def _person_candidates(mapped: Mapped) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(private, public) names in clean(text)."""
    text = mapped.text
    spans: list[tuple[int, int]] = []
    for match in RELATIVE.finditer(text):
        end = _name_after(text, match.end(), lowercase=True)
        if end:
            spans.append((match.end(), end))
    for match in ROLE.finditer(text):
        end = _name_after(text, match.end())
        if end and text[match.end()].isupper():
            spans.append((match.end(), end))
    for match in CIVILITY.finditer(text):
        end = _name_after(text, match.end())
        if end:
            spans.append((match.start(), end))
    for match in NAMING.finditer(text):
        end = _name_after(text, match.end(), lowercase=True)
        if not end:
            continue
        said_of_a_person = match.group().split()[0].lower() in ("il", "elle", "he", "she") or (
            PERSON_BEFORE.search(text[max(0, match.start() - 60) : match.start()])
        )
        first = plain(text[match.end() : end]).split(" ")[0]
        if said_of_a_person or first in first_names():
            spans.append((match.end(), end))  # not "le logiciel s'appelle Map Revelation"
    for match in ARABIC_NAMING.finditer(text):
        spans.append(match.span("name"))
    spans += _first_name_pairs(text)
    kept: list[tuple[int, int]] = []
    public: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue
        name = CIVILITY.sub("", text[start:end])
        if is_public_name(name) or _after_public_office(text, start):
            public.append((start, end))
            continue
        if _street_before(text, start):
            continue
        kept.append((start, end))
    return kept, public


# --- police identification numbers ------------------------------------------------------------

# RIO (référentiel des identités et de l'organisation), matricule, badge: "RIO 1128457",
# "matricule 2051874", "RIO : 1 087 342", "badge number 4521".
POLICE_ID = re.compile(
    r"(?<!\w)(?i:rio|r\.i\.o\.?|matricule|matr\.?|n°\s*de\s*matricule|num[ée]ro\s+(?:de\s+)?"
    r"matricule|num[ée]ro\s+rio|num[ée]ro\s+d['’]identification|identifiant|insigne|badge|"
    r"badge\s+number|collar\s+number|shield\s+number|id\s+number|officer\s+number)"
    r"\s*(?:n°|no\.?|number|#|:|=|est|c['’]\s?est|is|num[ée]ro)?\s*(?:le\s+)?"
    r"(?P<number>\d(?:[ .]?\d){3,7})(?!\d)"
)


def police_id_spans(text: str) -> list[tuple[int, int]]:
    body = clean(text).text
    return [m.span() for m in POLICE_ID.finditer(body)]


def find_persons(text: str) -> list[Span]:
    """(reason, start, end) of every private person's name and police number found."""
    found: list[Span] = [("police_id", s, e) for s, e in police_id_spans(text)]
    found += [("private_person", s, e) for s, e in person_spans(clean(text))]
    return found
