"""What clients receive: questions and stops as plain dicts, for attendees or for moderators.

These dicts carry codes, never translated text; `messages.localize_*` adds the words for a reader.
"""

from __future__ import annotations

from caravane.models import Question, Stop


def iso(moment) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def public_question(question: Question, stop_slug: str) -> dict:
    return {
        "id": question.id,
        "stop": stop_slug,
        "text": question.text,
        # A name is public only once a moderator chose to show it for this question.
        "name": question.name if question.show_name else None,
        "language": question.language,
        "status": question.status,
        "votes": question.votes,
        "created_at": iso(question.created_at),
        "version": question.version,
    }


def own_question(question: Question, stop_slug: str) -> dict:
    """The author's view of their own question: its status, and why it was set aside."""
    data = public_question(question, stop_slug)
    data["name"] = question.name
    data["reason"] = question.reject_reason
    # The phone matches it to the question waiting in its outbox, whichever answer comes first.
    data["client_id"] = question.client_id
    return data


def moderator_question(question: Question, stop_slug: str) -> dict:
    data = public_question(question, stop_slug)
    data.update(
        name=question.name,
        show_name=question.show_name,
        flags=list(question.flags or []),
        reason=question.reject_reason,
        original_text=question.original_text,
    )
    return data


def stop_header(stop: Stop) -> dict:
    return {"slug": stop.slug, "city": stop.city, "title": stop.title}
