"""Find where a private person can be found in a question: a home address, however loosely
written, and a vehicle's number plate.

Spans are over `clean(text).text` (case and accents kept). The tour's venues and public
buildings named just before an address are public places, not a person's home.
"""

from __future__ import annotations

import re

from .normalize import clean, plain
from .public import public_addresses

Span = tuple[str, int, int]

_STREET_ALWAYS = (
    r"rue|r\.|avenue|av\.?|ave\.?|bd|bld|boulevard|bvd|impasse|imp\.|all[ée]e|all\.|chemin|"
    r"ch\.|chem\.|quai|faubourg|fbg|r[ée]sidence|r[ée]sid\.|r[ée]s\.|lotissement|lot\.|"
    r"sentier|chauss[ée]e|rond-point|street|st\.|road|rd\.|lane|drive"
)
# Words that are also common nouns ("il reste 1 place", "3 cours"): only before a capital.
_STREET_CAPITAL = (
    r"place|pl\.|route|rte|cours|square|sq\.|cit[ée]|passage|voie|mail|parvis|esplanade|"
    r"hameau|villa|clos|parc|domaine"
)
_PARTICLE = (
    r"(?:[dD]es?\s+|[dD]u\s+|[dD]e\s+la\s+|[dD]['’]\s?|[lL]['’]\s?|[lL]a\s+|[lL]e\s+|[lL]es\s+)"
)
_NAME = r"[^\W\d_][\w'’\-]*"
_CAP_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_STREET = (
    rf"(?:(?i:{_STREET_ALWAYS})(?:\s+|(?<=\.)){_PARTICLE}?{_NAME}"
    rf"|(?i:{_STREET_CAPITAL})\s+{_PARTICLE}?{_CAP_NAME})"
    rf"(?:\s+(?:(?:de|du|des|la|le|les)\s+|d['’]|l['’])?{_CAP_NAME}){{0,3}}"
)
_NUMBER = r"(?<![\w,.])\d{1,4}(?:\s?(?:bis|ter|quater|[btBT])\b)?"
# "12 rue des Lilas", "3 bis avenue Jean Lebas", "12 r. Pasteur", "au 31, rue des Arts"
NUMBERED_STREET = re.compile(rf"{_NUMBER},?\s+{_STREET}")
# "rue Mollien numéro 40", "rue des Arts n°31"
STREET_THEN_NUMBER = re.compile(
    rf"{_STREET}\s*,?\s+(?:(?i:num[ée]ro|num\.?|n°|no\.?|nr)\s*)?\d{{1,4}}(?!\d)(?!\s*(?:€|euros|%))"
)
# "rue du Moulin, 62100 Calais": a street and a postcode
STREET_POSTCODE = re.compile(rf"{_STREET}\s*,?\s+(?:\d{{5}}|\d{{2}}\s\d{{3}})\s+{_CAP_NAME}")
# "il habite rue Jules Guesde", "vit avenue de la Paix": a home, even without a number
DWELLING = (
    r"(?:habite|habites|habitez|habitent|habitait|vit|vis|vivent|vivait|loge|logent|logeait|"
    r"demeure|domicili[ée]e?s?|cr[èe]che|dort|dorment|installée?s?|live|lives)"
)
DWELLING_STREET = re.compile(
    rf"(?i:{DWELLING})\s+(?:(?:au|à|a|dans\s+la|dans\s+le|en\s+haut\s+de\s+la|en\s+bas\s+de\s+la|"
    rf"on|in|at|pr[èe]s\s+de\s+la|vers\s+la)\s+)?{_STREET}"
)
# "au numéro 31", "au n°12 de la rue": a house number named as such
HOUSE_NUMBER = re.compile(
    r"(?<!\w)(?i:au|du|le)\s+(?i:num[ée]ro|n°|no\.?)\s*\d{1,4}(?:\s?(?:bis|ter))?(?!\d)"
    r"(?=\s*(?:$|[,.;!?)]|(?i:de\s+la\s+rue|rue|avenue|bd|boulevard|bis|ter|de\s+l['’]avenue|"
    r"juste|en\s+face|à\s+c[ôo]t[ée]|a\s+cote|pr[èe]s|dans|,)))"
)
_BUILDING = (
    r"(?:b[âa]t(?:iment)?\.?|bloc|esc(?:alier)?\.?|appt?\.?|appart(?:ement)?|logement|porte|"
    r"chambre|flat|apartment|apt|[ée]tage|entr[ée]e)"
)
# "résid. Les Tilleuls bat B appt 24", "bât C, appart 12", "3e étage porte 5": two parts of a
# building's inside address, or one after a residence's name.
BUILDING_PART = re.compile(
    rf"(?<!\w)(?i:{_BUILDING})\s*(?:n°|no\.?)?\s*[A-Z0-9]{{1,4}}\b"
    r"|(?<!\w)\d{1,2}\s?(?i:e|er|[èe]me|i[èe]me|re)\s+(?i:[ée]tage)\b"
)
RESIDENCE = re.compile(
    rf"(?<!\w)(?i:r[ée]sidence|r[ée]sid\.|r[ée]s\.|cit[ée]|lotissement|immeuble|b[âa]timent"
    rf"|foyer)\s+{_PARTICLE}?{_CAP_NAME}"
)
_COLOUR = (
    r"(?:vert|verte|verts|vertes|bleu|bleue|bleus|bleues|rouge|rouges|blanc|blanche|blancs|"
    r"blanches|noir|noire|noirs|noires|jaune|jaunes|gris|grise|grises|marron|rose|roses|violet|"
    r"violets|orange|beige|green|blue|red|white|black|yellow|grey|gray)"
)
# "la maison avec le portail vert", "celle aux volets bleus": a home told by its look
HOUSE_LOOK = re.compile(
    r"(?<!\w)(?i:maison|baraque|villa|pavillon|immeuble|appart(?:ement)?|celle|celui|house|"
    r"home|flat|building)\s+(?i:avec|aux|au|à\s+la|a\s+la|à\s+l['’]|qui\s+a|with\s+the|with)\s+"
    r"(?i:le|la|les|un|une|des|l['’]|the|a)?\s*(?i:portail|portails|volets?|porte|porte\s+"
    r"d['’]entr[ée]e|fa[çc]ade|toit|boite\s+aux\s+lettres|bo[iî]te\s+aux\s+lettres|fen[êe]tres?|"
    r"balcon|garage|haie|grille|cl[ôo]ture|gate|door|shutters|roof|fence)\s+"
    rf"(?i:{_COLOUR})"
)
# Public buildings named right before an address make it a public place.
PUBLIC_PLACE = re.compile(
    r"(?<!\w)(?i:mairie|h[ôo]tel\s+de\s+ville|pr[ée]fecture|sous-pr[ée]fecture|commissariat|"
    r"gendarmerie|tribunal|\bTA\b|cour\s+d['’]appel|palais\s+de\s+justice|cnil|gare|"
    r"m[ée]diath[èe]que|biblioth[èe]que|universit[ée]|fac|lyc[ée]e|coll[èe]ge|[ée]cole|"
    r"maison\s+des\s+associations|salle|restaurant|resto|caf[ée]|bar|mus[ée]e|th[ée][âa]tre|"
    r"cin[ée]ma|si[èe]ge|local|permanence|centre\s+social|centre|csu|police\s+municipale|"
    r"h[ôo]pital|clinique|stade|parc|[ée]glise|mosqu[ée]e|temple|synagogue|march[ée]|"
    r"supermarch[ée]|magasin|boutique|usine|entreprise|soci[ée]t[ée]|association|asso|"
    r"ldh|cimade|secours|croix-rouge|auberge|venue|city\s+hall|station|court)(?!\w)"
)
PUBLIC_PLACE_WINDOW = 60

# --- plates --------------------------------------------------------------------------------

_PLATE_LETTER = "[A-HJ-NP-TV-Z]"
PLATE = re.compile(
    # France since 2009: AB-123-CD (dashes, spaces or nothing); lowercase only with dashes
    rf"(?<![\w\-]){_PLATE_LETTER}{{2}}([ \-]?)\d{{3}}\1{_PLATE_LETTER}{{2}}(?![\w\-])"
    r"|(?<![\w\-])(?i:[a-hj-np-tv-z]{2}-\d{3}-[a-hj-np-tv-z]{2})(?![\w\-])"
    # France before 2009: 1234 AB 59, 123 ABC 75, 2A and 2B for Corsica
    r"|(?<![\w\-])\d{2,4}[ \-]?[A-Z]{2,3}[ \-]?(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?![\w\-])"
    # Belgium since 2010: 1-ABC-123, 1ABC123, 1 ABC 123
    r"|(?<![\w\-])[1-9]([ \-]?)[A-Z]{3}\2\d{3}(?![\w\-])"
    r"|(?<![\w\-])(?i:[1-9]-[a-z]{3}-\d{3})(?![\w\-])"
)
# After the word "plaque" or "immatriculé", any short code of letters and digits is a plate:
# old Belgian "ABC-123", foreign or partial plates.
PLATE_CUE = re.compile(
    r"(?i:plaque(?:\s+d['’]immatriculation)?|immatricul[ée]e?s?|immat|num[ée]ro\s+de\s+plaque|"
    r"license\s+plate|licence\s+plate|number\s+plate|plate|registration|reg)\s*(?:n°|:|est|"
    r"c['’]\s?est|is|number)?\s*(?P<plate>(?=[\w \-]{0,10}\d)(?=[\w \-]{0,10}[A-Za-z])"
    r"[A-Za-z0-9]{1,4}(?:[ \-][A-Za-z0-9]{1,4}){0,3})(?![\w\-])"
)


def _public_address(body: str, start: int, end: int) -> bool:
    """A venue of the tour, or an address right after the name of a public building."""
    words = plain(body[start:end]).split(" ")
    for number, street in public_addresses():
        if number in words and street in words:
            return True
    before = body[max(0, start - PUBLIC_PLACE_WINDOW) : start]
    return bool(PUBLIC_PLACE.search(before))


def _address_candidates(text: str) -> list[tuple[int, int]]:
    body = clean(text).text
    spans: list[tuple[int, int]] = []
    for pattern in (NUMBERED_STREET, STREET_THEN_NUMBER, STREET_POSTCODE, DWELLING_STREET):
        spans += [m.span() for m in pattern.finditer(body)]
    spans += [m.span() for m in HOUSE_NUMBER.finditer(body)]
    spans += [m.span() for m in HOUSE_LOOK.finditer(body)]
    parts = [m.span() for m in BUILDING_PART.finditer(body)]
    residences = [m.span() for m in RESIDENCE.finditer(body)]
    if len(parts) >= 2 or (parts and residences):
        inside = sorted(parts + residences)
        spans.append((inside[0][0], inside[-1][1]))
    return spans


def address_spans(text: str) -> list[tuple[int, int]]:
    body = clean(text).text
    return [(s, e) for s, e in _address_candidates(text) if not _public_address(body, s, e)]


def public_address_spans(text: str) -> list[tuple[int, int]]:
    """Addresses of the tour's venues and of public buildings, which are not personal data."""
    body = clean(text).text
    return [(s, e) for s, e in _address_candidates(text) if _public_address(body, s, e)]


def plate_spans(text: str) -> list[tuple[int, int]]:
    body = clean(text).text
    spans = [m.span() for m in PLATE.finditer(body)]
    for match in PLATE_CUE.finditer(body):
        plate = match.group("plate")
        if sum(c.isalpha() for c in plate) >= 1 and sum(c.isdigit() for c in plate) >= 2:
            spans.append(match.span("plate"))
    return spans


def find_places(text: str) -> list[Span]:
    """(reason, start, end) of every address and plate found."""
    found: list[Span] = [("address", s, e) for s, e in address_spans(text)]
    found += [("plate", s, e) for s, e in plate_spans(text)]
    return found
