"""What clients receive: questions and stops as plain dicts, for attendees or for moderators.

These dicts carry codes, never translated text; `messages.localize_question` adds the words for
a reader.
"""

from __future__ import annotations

from caravane.board.models import ModerationEvent, Question
from caravane.tour.models import Stop


def iso(moment) -> str:
    """To the minute: finer times would help link a question to who was seen typing it."""
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def public_name(question: Question) -> str | None:
    """A name leaves the room only once a moderator chose to show it for this question."""
    return question.name if question.show_name else None


def public_question(question: Question, stop_slug: str) -> dict:
    return {
        "id": question.id,
        "stop": stop_slug,
        "text": question.text,
        "name": public_name(question),
        "language": question.language,
        "status": str(question.status),
        "votes": question.votes,
        # How many people asked it: more than one once questions were merged into it.
        "asked_by": question.asked_by,
        # A moderator's written answer, shown as written (never translated), with its language.
        "answer": question.answer,
        "answer_language": question.answer_language,
        "created_at": iso(question.created_at),
        "version": question.version,
    }


def own_question(question: Question, stop_slug: str) -> dict:
    """The author's view of their own question: its status, and why it was set aside."""
    data = public_question(question, stop_slug)
    data["name"] = question.name
    data["reason"] = _code(question.reject_reason)
    # The phone matches it to the question waiting in its outbox, whichever answer comes first.
    data["client_id"] = question.client_id
    # The author's own words, when a moderator corrected them: they are told, and can reread.
    data["original_text"] = question.original_text
    data["repeats"] = _repeated(question)
    # Grouped with a question that says the same: the author reads it and can support it.
    target = question.merged_into if question.status == "merged" else None
    data["merged_into"] = public_question(target, stop_slug) if target is not None else None
    return data


def _repeated(question: Question) -> int | None:
    """The question this one repeats, when it was set aside as already asked and the assistant
    had named the earlier one: its author can support that one instead."""
    if question.reject_reason != "duplicate":
        return None
    return next((flag.get("of") for flag in question.flags or []
                 if flag.get("code") == "duplicate"), None)


def moderator_question(question: Question, stop_slug: str) -> dict:
    data = public_question(question, stop_slug)
    data.update(
        name=question.name,
        show_name=question.show_name,
        flags=list(question.flags or []),
        analysed=question.analysed,
        queue=question.queue_position,
        reason=_code(question.reject_reason),
        original_text=question.original_text,
        merged_into=question.merged_into_id,
    )
    return data


def log_entry(row: ModerationEvent) -> dict:
    """One line of the moderation log: codes and values; messages.log_line words it."""
    before, after = row.before or {}, row.after or {}
    return {
        "at": row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "moderator": row.moderator_login,
        "action": str(row.action),
        "question_id": row.question_id,
        "reason": after.get("reason") if row.action == "reject" else None,
        "text_before": before.get("text") if row.action == "edit" else None,
        "text_after": after.get("text") if row.action == "edit" else None,
        "board": after.get("board"),
        "into": after.get("into") or before.get("into"),
        "record": after.get("record") if row.action == "record" else None,
    }


def stop_header(stop: Stop) -> dict:
    return {"slug": stop.slug, "city": stop.city, "title": stop.title}


def _code(value) -> str | None:
    """An enum member as the plain string clients receive."""
    return None if value is None else str(value)
