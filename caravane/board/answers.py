"""Written answers: what a moderator writes back to a question the stage did not (fully) answer.

Public-debate practice (CNDP) answers every question, in writing when not on stage. An answer
is plain text, shown as written in the language it was written in (nobody translates it), to
the room, the author and the public record. Plain Python over the models, as board/rules.py.
"""

from __future__ import annotations

from caravane.accounts.models import Moderator
from caravane.assistant.language import detect_language
from caravane.board import events
from caravane.board.errors import BoardError
from caravane.board.events import Outcome
from caravane.board.inputs import Reply
from caravane.board.payloads import moderator_question
from caravane.board.rules import _check_version, _question_and_stop, _record
from caravane.board.sequence import numbered
from caravane.storage import utcnow, write_transaction
from caravane.vocabulary import PUBLISHED, LogAction


def reply(command: Reply, actor: Moderator) -> Outcome:
    """Write, rewrite or (with empty text) take back the written answer to a public question,
    during or after the debate."""
    with write_transaction():
        question, stop = _question_and_stop(command.question_id, actor)
        _check_version(question, command.version, stop)
        if question.status not in PUBLISHED:
            raise BoardError("cannot_answer")
        if (command.text or None) == question.answer:
            return Outcome({"question": moderator_question(question, stop.slug)})
        before = {"answer": question.answer}
        question.answer = command.text or None
        question.answer_language = _language(command) if command.text else None
        question.answered_at = utcnow() if command.text else None
        question.version += 1
        question.updated_at = utcnow()
        _record(actor, stop, LogAction.REPLY, question, before, {"answer": question.answer})
        return numbered(Outcome({"question": moderator_question(question, stop.slug)},
                                events.changed(question, stop, question.status)))


def _language(command: Reply) -> str:
    """The answer's own language when its words tell it, else the writer's interface's."""
    found = detect_language(command.text)
    return command.language if found == "und" else found
