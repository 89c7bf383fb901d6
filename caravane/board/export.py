"""A stop's questions for the organisers: CSV, JSON or Markdown. Never an attendee token."""

from __future__ import annotations

import csv
import html
import io
import json
import unicodedata

from sqlalchemy import select

from caravane.board.models import Question
from caravane.board.payloads import iso, public_name
from caravane.extensions import db
from caravane.tour.models import Stop

FORMATS = ("csv", "json", "md")
COLUMNS = ("id", "created_at", "status", "reason", "votes", "asked_by", "merged_into",
           "language", "name", "text", "original_text", "answer", "answer_language", "flags")


def rows(stop: Stop) -> list[dict]:
    questions = db.session.scalars(
        select(Question).filter_by(stop_id=stop.id).order_by(Question.id)
    ).all()
    return [
        {
            "id": q.id,
            "created_at": iso(q.created_at),
            "status": str(q.status),
            "reason": str(q.reject_reason or ""),
            "votes": q.votes,
            "asked_by": q.asked_by,
            "merged_into": q.merged_into_id or "",
            "language": q.language,
            "name": public_name(q) or "",
            "text": q.text,
            "original_text": q.original_text or "",
            "answer": q.answer or "",
            "answer_language": q.answer_language or "",
            "flags": " ".join(sorted({flag.get("code", "") for flag in q.flags or []})),
        }
        for q in questions
    ]


def render(stop: Stop, fmt: str) -> str:
    data = rows(stop)
    if fmt == "json":
        return json.dumps({"stop": stop.slug, "questions": data}, ensure_ascii=False, indent=2)
    if fmt == "md":
        lines = [f"# {stop.title}", ""]
        for row in data:
            # Markdown renderers pass HTML through: a question must read as text, not run.
            text = html.escape(row["text"], quote=False)
            lines.append(f"- **#{row['id']}** ({row['status']}, {row['votes']} +1) {text}")
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in data:
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    """A cell a spreadsheet would run as a formula starts with ', even when invisible or
    full-width characters come first (＝ is read as =; a zero-width space is skipped)."""
    if not isinstance(value, str):
        return value
    shown = "".join(char for char in unicodedata.normalize("NFKC", value[:50])
                    if unicodedata.category(char) not in ("Cf", "Zs", "Cc") or char in "\t\r")
    if shown.startswith(FORMULA_STARTS):
        return "'" + value
    return value
