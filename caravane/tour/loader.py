"""Loading the tour from its TOML file into the database, idempotently and all or nothing."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from caravane.extensions import db
from caravane.tour.localized import (
    LIST_FIELDS,
    REVIEW_MARKER,
    STOP_TEXT_FIELDS,
    TOUR_TEXT_FIELDS,
    TRANSLATED_LANGUAGES,
)
from caravane.tour.models import Stop, Tour

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,58}$")
RESERVED_SLUGS = {"connexion", "deconnexion", "healthz", "static", "langue"}


class TourFileError(ValueError):
    """The file cannot be loaded; the message names the line or the field."""


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int


def default_tour_path() -> Path:
    return Path(str(resources.files("caravane.tour") / "tour.toml"))


def read_tour_file(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise TourFileError(f"{path}: invalid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TourFileError(f"{path}: cannot read: {error}") from error
    return validate(data)


def _text(value: object, field: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise TourFileError(f"{field}: expected a non-empty text")
    return value.strip()


def _texts(value: object, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TourFileError(f"{field}: expected a list of texts")
    return [_text(item, f"{field}[{index}]") for index, item in enumerate(value)]


def _web_address(value: object, field: str) -> str | None:
    """An http(s) address, or nothing: a javascript: link would run in the visitor's page."""
    address = _text(value, field, required=False)
    if not address:
        return None
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TourFileError(f"{field}: expected an http:// or https:// address, got {address!r}")
    return address


def _moment(value: object, field: str) -> datetime:
    # TOML local date-times carry no offset: they are wall-clock times in Europe/Paris.
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise TourFileError(f"{field}: expected a local date and time like 2022-06-21T18:00:00")
    return value


def _translations(value: object, where: str, fields: tuple[str, ...], source: dict) -> dict:
    """The [<where>.translations.<lang>] tables, checked against the French texts in `source`:
    known languages and fields only, non-empty texts, as many paragraphs as the French, roles
    of guests the stop has. `where` names the record in every message."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TourFileError(f"{where}.translations: expected a table of languages "
                            f"({', '.join(TRANSLATED_LANGUAGES)})")
    clean = {}
    for lang, block in value.items():
        if lang not in TRANSLATED_LANGUAGES:
            raise TourFileError(
                f"{where}.translations.{lang}: unknown language {lang!r}; expected one of "
                f"{', '.join(TRANSLATED_LANGUAGES)} (French goes in the fields themselves)")
        if not isinstance(block, dict):
            raise TourFileError(f"{where}.translations.{lang}: expected a table of texts")
        clean[lang] = _translation_block(block, f"{where}.translations.{lang}", fields, source)
    return clean


def _translation_block(block: dict, where: str, fields: tuple[str, ...], source: dict) -> dict:
    reviewed = block.get(REVIEW_MARKER, False)
    if not isinstance(reviewed, bool):
        raise TourFileError(f"{where}.{REVIEW_MARKER}: expected true or false")
    clean: dict = {REVIEW_MARKER: reviewed}
    for field, text in block.items():
        if field == REVIEW_MARKER:
            continue
        if field not in fields:
            raise TourFileError(
                f"{where}.{field}: not a translatable text; expected one of "
                f"{', '.join(fields)} (names, venues and addresses stay as they are)")
        if field == "roles":
            clean[field] = _translated_roles(text, f"{where}.roles", source["guests"])
        elif field in LIST_FIELDS:
            clean[field] = _texts(text, f"{where}.{field}")
            if len(clean[field]) != len(source[field]):
                raise TourFileError(
                    f"{where}.{field}: {len(clean[field])} items, the French text has "
                    f"{len(source[field])}; translate each one, or leave the field out")
        else:
            clean[field] = _text(text, f"{where}.{field}")
    return clean


def _translated_roles(value: object, where: str, guests: list[dict]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TourFileError(f'{where}: expected a table {{ "guest name" = "role" }}')
    names = {guest["name"] for guest in guests if guest["role"]}
    for name in value:
        if name not in names:
            raise TourFileError(f"{where}: {name!r} is not a guest of this stop with a role")
    return {name: _text(role, f"{where}.{name!r}") for name, role in value.items()}


def validate(data: dict) -> dict:
    """Check every field and return clean values; raise TourFileError on the first problem."""
    tour = data.get("tour")
    if not isinstance(tour, dict):
        raise TourFileError("[tour]: missing table")
    clean_tour = {
        "slug": _text(tour.get("slug"), "tour.slug"),
        "title": _text(tour.get("title"), "tour.title"),
        "organiser": _text(tour.get("organiser"), "tour.organiser"),
        "organiser_url": _web_address(tour.get("organiser_url"), "tour.organiser_url"),
        "intro": _text(tour.get("intro"), "tour.intro"),
    }
    clean_tour["translations"] = _translations(
        tour.get("translations"), "tour", TOUR_TEXT_FIELDS, clean_tour)
    stops = data.get("stops")
    if not isinstance(stops, list) or not stops:
        raise TourFileError("[[stops]]: at least one stop is needed")
    clean_stops, seen = [], set()
    for index, stop in enumerate(stops):
        where = f"stops[{index}]"
        if not isinstance(stop, dict):
            raise TourFileError(f"{where}: expected a table")
        slug = _text(stop.get("slug"), f"{where}.slug")
        if not SLUG.match(slug) or slug in RESERVED_SLUGS:
            raise TourFileError(f"{where}.slug: {slug!r} is not a usable URL name")
        if slug in seen:
            raise TourFileError(f"{where}.slug: {slug!r} appears twice")
        seen.add(slug)
        starts = _moment(stop.get("starts"), f"{where}.starts")
        ends = _moment(stop.get("ends"), f"{where}.ends")
        if ends <= starts:
            raise TourFileError(f"{where}.ends: must come after starts")
        guests = stop.get("guests", [])
        if not isinstance(guests, list):
            raise TourFileError(f"{where}.guests: expected a list of {{ name, role }}")
        clean_guests = []
        for number, guest in enumerate(guests):
            if not isinstance(guest, dict):
                raise TourFileError(f"{where}.guests[{number}]: expected {{ name, role }}")
            clean_guests.append({
                "name": _text(guest.get("name"), f"{where}.guests[{number}].name"),
                "role": _text(guest.get("role"), f"{where}.guests[{number}].role", required=False),
            })
        clean_stop = {
            "slug": slug,
            "position": index + 1,
            "city": _text(stop.get("city"), f"{where}.city"),
            "title": _text(stop.get("title"), f"{where}.title"),
            "starts_at": starts,
            "ends_at": ends,
            "venue": _text(stop.get("venue"), f"{where}.venue"),
            "address": _text(stop.get("address"), f"{where}.address"),
            "summary": _text(stop.get("summary"), f"{where}.summary"),
            "context": _texts(stop.get("context"), f"{where}.context"),
            "facts": _texts(stop.get("facts"), f"{where}.facts"),
            "guests": clean_guests,
        }
        # The slug too: "stops[1]" alone makes the reader count tables in the file.
        clean_stop["translations"] = _translations(
            stop.get("translations"), f"{where} ({slug})", STOP_TEXT_FIELDS, clean_stop)
        clean_stops.append(clean_stop)
    return {"tour": clean_tour, "stops": clean_stops}


def load_tour(path: Path | None = None) -> LoadResult:
    """Create or update the tour and its stops from the file, in one transaction."""
    data = read_tour_file(path or default_tour_path())
    result = LoadResult(0, 0, 0)
    try:
        tour = db.session.scalar(db.select(Tour).filter_by(slug=data["tour"]["slug"]))
        if tour is None:
            tour = Tour(**data["tour"])
            db.session.add(tour)
            db.session.flush()
        else:
            for key, value in data["tour"].items():
                setattr(tour, key, value)
        for values in data["stops"]:
            stop = db.session.scalar(db.select(Stop).filter_by(slug=values["slug"]))
            if stop is None:
                db.session.add(Stop(tour=tour, **values))
                result.created += 1
                continue
            changed = any(getattr(stop, key) != value for key, value in values.items())
            changed = changed or stop.tour_id != tour.id
            for key, value in values.items():
                setattr(stop, key, value)
            stop.tour = tour
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
        # Every load may change what the pages say: their cached copies and ETags go stale.
        # Incremented by the database, so that a record published at the same moment
        # (record/rules.py) cannot leave both changes under one number.
        tour.revision = Tour.revision + 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
