"""Who and what is public, and so never reported as personal data: office holders, authors,
the tour's guests and organisations, the officials its pages name, and its venues' addresses.

Two sources: lexicons/public_names.txt (written by hand) and caravane/tour/tour.toml (the shipped
tour: its guests, its organiser, the "Firstname Lastname" pairs of its texts, its venues), so
that a new stop's speakers are public as soon as the tour names them.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from .data import data_lines
from .normalize import plain

TOUR = Path(__file__).resolve().parents[1] / "tour" / "tour.toml"
# "Firstname Lastname" in the tour's own texts: a capitalised word after a listed first name.
_PAIR = re.compile(r"\b([A-ZÀ-Ý][\w\-]+)\s+((?:(?:de|du|Le|La)\s+)?[A-ZÀ-Ý][\w\-]+)")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names common in France, as `plain` writes them (lexicons/first_names.txt)."""
    return frozenset(plain(name) for name in data_lines("first_names.txt"))


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


@lru_cache(maxsize=1)
def _tour() -> dict:
    # A missing or broken file is an error, not an empty list: every guest would be flagged.
    return tomllib.loads(TOUR.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def tour_names() -> frozenset[str]:
    """Guests, organiser and the people the tour's texts name, as `plain` writes them."""
    tour = _tour()
    names = set()
    if "tour" in tour:
        names.add(plain(str(tour["tour"].get("organiser", ""))))
    for stop in tour.get("stops", []):
        for guest in stop.get("guests", []):
            names.add(plain(str(guest.get("name", ""))))
        for text in _texts(stop):
            for first, last in _PAIR.findall(text):
                if plain(first) in first_names():
                    names.add(plain(f"{first} {last}"))
    return frozenset(name for name in names if name)


@lru_cache(maxsize=1)
def public_names() -> tuple[frozenset[str], frozenset[str]]:
    """(full names, surnames) of public persons and organisations, as `plain` writes them."""
    full = {plain(name) for name in data_lines("public_names.txt")} | set(tour_names())
    surnames = set()
    for name in full:
        words = name.split(" ")
        if len(words) >= 2:
            surnames.add(words[-1])
        if len(words) > 2:  # "Marine Le Pen" covers "Mme Le Pen", "Charles de Gaulle" "de Gaulle"
            surnames.add(" ".join(words[1:]))
            surnames.add(" ".join(words[-2:]))
    return frozenset(full), frozenset(surnames)


def is_public_name(name: str) -> bool:
    """A public person's full name, surname, or first name + surname ("Aubry", "martine
    aubry", "Mme Aubry" once the civility is removed)."""
    full, surnames = public_names()
    folded = plain(name)
    if not folded:
        return False
    words = folded.split(" ")
    return (
        folded in full
        or folded in surnames
        or words[-1] in surnames
        or " ".join(words[1:]) in surnames
        or " ".join(words[-2:]) in surnames
    )


def _squashed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", plain(name))


@lru_cache(maxsize=1)
def _public_accounts() -> frozenset[str]:
    full, _ = public_names()
    accounts = {_squashed(name) for name in full}
    accounts |= {_squashed(line) for line in data_lines("acronyms.txt")}
    return frozenset(account for account in accounts if len(account) >= 3)


@lru_cache(maxsize=1024)
def is_public_account(handle: str) -> bool:
    """@laquadrature, @Utopia_56, twitter.com/CNIL: an account named after a public person or
    organisation (its name without spaces, whole or as a start of four letters or more)."""
    squashed = _squashed(handle)
    if len(squashed) < 3:
        return False
    for account in _public_accounts():
        if squashed == account:
            return True
        if len(squashed) >= 6 and account.startswith(squashed) and (
            len(squashed) >= 0.6 * len(account)
        ):
            return True  # @laquadrature for La Quadrature du Net
        if len(account) >= 4 and squashed.startswith(account):
            return True  # @cnil_officiel
    return False


@lru_cache(maxsize=1)
def public_addresses() -> frozenset[tuple[str, str]]:
    """(number, last word of the street) of the tour's venues: ("126", "lebas")."""
    found = set()
    for stop in _tour().get("stops", []):
        match = re.match(r"\s*(\d+)\s*(?:bis|ter)?\s+([^,]+)", str(stop.get("address", "")))
        if match:
            street = plain(match.group(2)).split(" ")
            found.add((match.group(1), street[-1]))
    return frozenset(found)
