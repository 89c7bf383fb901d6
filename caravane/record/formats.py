"""A stop's record as files: Markdown to read or republish, CSV for the organisers' report,
JSON for the command line. The same anonymous entries as the page, nothing more."""

from __future__ import annotations

import csv
import html
import io
import json
import re

from flask_babel import gettext, ngettext

from caravane.board.export import _safe_cell
from caravane.record.rules import FIELDS
from caravane.tour.localized import in_language
from caravane.tour.models import Stop
from caravane.typography import for_language, french_interface

FORMATS = ("md", "csv", "json")
_MARKDOWN_MARKS = re.compile(r"[\\`*_\[\]]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def render(stop: Stop, entries: list[dict], fmt: str, locale: str = "fr") -> str:
    if fmt == "json":
        return json.dumps({"stop": stop.slug, "entries": [_fields(e) for e in entries]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return csv_text(entries)
    return markdown(stop, entries, locale)


def csv_text(entries: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for item in entries:
        row = _fields(item)
        row["answered_on_stage"] = "yes" if row["answered_on_stage"] else "no"
        # A cell starting with = + - @ would run as a formula in a spreadsheet (export.py).
        writer.writerow({key: _safe_cell("" if value is None else value)
                         for key, value in row.items()})
    return buffer.getvalue()


def markdown(stop: Stop, entries: list[dict], locale: str = "fr") -> str:
    """Headings in the reader's language; every question and answer escaped: Markdown
    renderers pass HTML through, and a question must read as text, not run."""

    def words(text: str) -> str:
        return french_interface(text) if locale == "fr" else text

    heading = words(gettext("Compte rendu des questions : %(city)s", city=stop.city))
    lines = [f"# {_escaped(heading)}",
             "", _escaped(in_language(stop, "title", locale).text), ""]
    if not entries:
        lines += [words(gettext("Aucune question n'a été acceptée pour cette soirée.")), ""]
    for number, item in enumerate(entries, 1):
        text = _escaped(for_language(item["text"], item.get("language")))
        name = f" — {_escaped(item['name'])}" if item.get("name") else ""
        lines.append(f"{number}. {text}{name}")
        facts = [words(ngettext("%(num)s soutien", "%(num)s soutiens", item["votes"]))]
        if item.get("asked_by", 1) > 1:
            facts.append(words(ngettext("posée par %(num)s personne",
                                        "posée par %(num)s personnes", item["asked_by"])))
        facts += _outcome(item, words)
        lines.append(f"   *{' · '.join(facts)}*")
        if item.get("answer"):
            answer = for_language(item["answer"], item.get("answer_language"))
            lines += [f"   > {_escaped(line)}" if line.strip() else "   >"
                      for line in answer.splitlines()]
        lines.append("")
    return "\n".join(lines)


def _outcome(item: dict, words) -> list[str]:
    said = []
    if item.get("answered_on_stage"):
        said.append(words(gettext("répondue en séance")))
    if item.get("answer"):
        said.append(words(gettext("réponse écrite")))
    return said or [words(gettext("pas encore de réponse"))]


def _fields(item: dict) -> dict:
    return {field: item.get(field) for field in FIELDS}


def _escaped(text: str) -> str:
    """One line of text that Markdown shows as written: its own line breaks become spaces,
    HTML is escaped, and [links](javascript:…), emphasis and code marks are backslashed."""
    text = html.escape(_LINE_BREAKS.sub(" ", str(text)).strip(), quote=False)
    return _MARKDOWN_MARKS.sub(r"\\\g<0>", text)
