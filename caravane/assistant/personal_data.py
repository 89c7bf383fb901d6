"""Find personal data in a question and report each finding once, as the author wrote it.

The finders live by kind: contacts.py (phone, e-mail, handle, profile), places.py (address,
plate), persons.py (private person, police identification number). Where two findings
overlap, the more specific one is kept ("jean.dupont@gmail.com" is an e-mail, not a name).
Everything found is shown to the moderator; nothing is hidden or removed here.
"""

from __future__ import annotations

from functools import lru_cache

from .contacts import email_spans, find_contacts, public_phone_spans
from .flags import REASONS, Flag, clip
from .normalize import clean
from .persons import find_persons, public_person_spans
from .places import find_places, public_address_spans

# When findings overlap, the first reason of this list wins.
PRIORITY = ("email", "profile", "phone", "handle", "police_id", "plate", "address",
            "private_person")
MAX_FLAGS = 6


@lru_cache(maxsize=2048)
def find_personal_data(text: str) -> tuple[Flag, ...]:
    """Personal-data flags in the order of REASONS["personal_data"], evidence as written."""
    mapped = clean(text)
    found = find_contacts(text) + find_places(text) + find_persons(text)
    found.sort(key=lambda f: (PRIORITY.index(f[0]), f[1]))
    taken: list[tuple[int, int]] = []
    kept: list[tuple[str, int, int]] = []
    for reason, start, end in found:
        if end <= start or any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        kept.append((reason, start, end))
    order = REASONS["personal_data"]
    flags: list[Flag] = []
    seen: set[tuple[str, str]] = set()
    for reason, start, end in sorted(kept, key=lambda f: (order.index(f[0]), f[1])):
        evidence = clip(mapped.excerpt(start, end).strip(" ,.;:"))
        if evidence and (reason, evidence) not in seen:
            seen.add((reason, evidence))
            flags.append(Flag("personal_data", reason, evidence))
    return tuple(flags[:MAX_FLAGS])


@lru_cache(maxsize=1024)
def public_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(first, last) original indexes of what the rules judged public: numbers of public
    bodies and services, the venues' and public buildings' addresses, public persons' names."""
    mapped = clean(text)
    spans = public_phone_spans(text) + public_address_spans(text) + public_person_spans(mapped)
    return tuple((mapped.pos[start], mapped.pos[end - 1]) for start, end in spans if end > start)


__all__ = ["email_spans", "find_personal_data", "public_spans"]
