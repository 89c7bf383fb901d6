"""Merging questions that ask the same thing into one, and undoing it.

The question kept says how many people asked it (`asked_by`: its authors, each once) and
counts the supports of the whole group, each attendee once. A grouped question keeps its text,
its author and its own supports; it leaves the room's list (status `merged`) and its author's
phone shows the question it joined. Undoing gives it back the status it had. Plain Python
over the models, as board/rules.py.
"""

from __future__ import annotations

from sqlalchemy import select

from caravane.accounts.models import Moderator
from caravane.board import events
from caravane.board.errors import BoardError
from caravane.board.events import Event, Outcome
from caravane.board.groups import group_of, supporters
from caravane.board.inputs import Merge, Unmerge
from caravane.board.models import ModerationEvent, Question
from caravane.board.payloads import moderator_question
from caravane.board.rules import _check_version, _question_and_stop, _record, _state
from caravane.board.sequence import numbered
from caravane.extensions import db
from caravane.storage import utcnow, write_transaction
from caravane.tour.models import Stop
from caravane.vocabulary import LogAction, QuestionStatus

# What can be grouped into another: anything but the question on screen (take it off first)
# and one already grouped. Questions set aside as already asked may join the one they repeat.
MERGEABLE = frozenset({QuestionStatus.PENDING, QuestionStatus.APPROVED,
                       QuestionStatus.ANSWERED, QuestionStatus.REJECTED})
# What others can be grouped into: a question that is or may become public.
KEEPERS = frozenset({QuestionStatus.PENDING, QuestionStatus.APPROVED, QuestionStatus.ON_SCREEN,
                     QuestionStatus.ANSWERED})


def _askers(question: Question) -> int:
    """How many people asked it: distinct authors of the group; an author without a token
    (a question typed in by a moderator) counts once per question."""
    rows = db.session.execute(
        select(Question.attendee).where(Question.id.in_(group_of(question.id)))).all()
    tokens = [row.attendee for row in rows]
    return len({token for token in tokens if token}) + tokens.count(None)


def _recount(question: Question) -> None:
    db.session.flush()
    question.asked_by = _askers(question)
    question.votes = supporters(question.id)
    question.version += 1
    question.updated_at = utcnow()


def merge(command: Merge, actor: Moderator) -> Outcome:
    with write_transaction():
        # No version check on the question kept: merges add up, so two moderators grouping
        # questions into it at the same moment both succeed (its status is checked below).
        kept, stop = _question_and_stop(command.question_id, actor)
        if kept.status not in KEEPERS:
            raise BoardError("cannot_merge_into", status=kept.status)
        # Locked in id order, after the stop: two merges never wait on each other in a circle.
        grouped = db.session.scalars(
            select(Question).where(Question.id.in_(command.merged), Question.stop_id == stop.id)
            .order_by(Question.id).with_for_update()).all()
        if len(grouped) != len(command.merged):
            raise BoardError("unknown_question")
        for question in grouped:
            if question.status not in MERGEABLE:
                raise BoardError("cannot_merge", id=question.id, status=question.status)
        produced: list[Event] = []
        was = {question.id: question.status for question in grouped}
        for question in grouped:
            # Questions grouped into this one follow it to the question kept.
            for child in db.session.scalars(select(Question).where(
                    Question.merged_into_id == question.id).with_for_update()):
                child.merged_into_id = kept.id
                child.version += 1
                produced += events.to_moderators(child, stop)
            before = _state(question)
            question.status = QuestionStatus.MERGED
            question.merged_into_id = kept.id
            question.queue_position = None
            question.version += 1
            question.updated_at = utcnow()
            _record(actor, stop, LogAction.MERGE, question, before,
                    {**_state(question), "into": kept.id})
        _recount(kept)
        # Built once counted: authors read the question they joined as it now is.
        for question in grouped:
            produced += events.changed(question, stop, was[question.id])
        produced += _kept_changed(kept, stop)
        return numbered(Outcome({"question": moderator_question(kept, stop.slug),
                                 "merged": [moderator_question(q, stop.slug) for q in grouped]},
                                produced))


def unmerge(command: Unmerge, actor: Moderator) -> Outcome:
    """Take a question out of the group it joined: it gets back the status it had."""
    with write_transaction():
        question, stop = _question_and_stop(command.question_id, actor)
        _check_version(question, command.version, stop)
        if question.status != QuestionStatus.MERGED or question.merged_into_id is None:
            raise BoardError("not_merged")
        kept = db.session.get(Question, question.merged_into_id, with_for_update=True)
        before = _state(question)
        question.status = _status_before_merge(question)
        question.merged_into_id = None
        question.votes = supporters(question.id)
        question.version += 1
        question.updated_at = utcnow()
        _record(actor, stop, LogAction.UNMERGE, question, {**before, "into": kept.id},
                _state(question))
        _recount(kept)
        produced = events.changed(question, stop, QuestionStatus.MERGED)
        produced += _kept_changed(kept, stop)
        return numbered(Outcome({"question": moderator_question(question, stop.slug),
                                 "kept": moderator_question(kept, stop.slug)}, produced))


def _status_before_merge(question: Question) -> QuestionStatus:
    """As the log says it was when it was grouped; to be read again if the log says nothing."""
    before = db.session.scalar(
        select(ModerationEvent.before)
        .where(ModerationEvent.question_id == question.id,
               ModerationEvent.action == LogAction.MERGE)
        .order_by(ModerationEvent.id.desc()).limit(1))
    status = (before or {}).get("status")
    return QuestionStatus(status) if status in MERGEABLE else QuestionStatus.PENDING


def _kept_changed(kept: Question, stop: Stop) -> list[Event]:
    produced = events.changed(kept, stop, kept.status)
    if kept.status == QuestionStatus.ON_SCREEN:
        # The projector says how many asked it.
        produced.append(events.screen_changed(stop, kept, None))
    return produced
