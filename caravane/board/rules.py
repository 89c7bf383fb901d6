"""The question board's rules: submit, vote, moderate, edit, open or close the board.

Plain Python over the models, with typed commands (board/inputs.py) in. Each write is one
transaction; each function returns an Outcome: the value for the caller's acknowledgement
and the events (board/events.py) that the change implies, for the publisher to send once
the data is safely stored. It knows nothing of HTTP or Socket.IO.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from caravane import assistant
from caravane.accounts.models import Moderator
from caravane.board import events
from caravane.board.errors import BoardError
from caravane.board.events import Event, Outcome
from caravane.board.groups import group_of, supporters
from caravane.board.identity import Attendee
from caravane.board.inputs import Arrange, BoardChange, Edit, Moderation, NextQuestion, Submission
from caravane.board.models import ModerationEvent, Question, Vote
from caravane.board.payloads import moderator_question, own_question
from caravane.board.sequence import numbered
from caravane.extensions import db
from caravane.storage import utcnow, write_transaction
from caravane.tour.models import Stop
from caravane.vocabulary import (
    PUBLISHED,
    TRANSITIONS,
    Action,
    Arrangement,
    BoardStatus,
    LogAction,
    QuestionStatus,
)

# What the rules read of a stop: not its texts and lists (four JSON columns, decoded at each
# load: a tenth of a submission's time in a storm). Anything else loads if ever read.
STOP_FOR_RULES = load_only(
    Stop.id, Stop.tour_id, Stop.slug, Stop.city, Stop.title, Stop.starts_at, Stop.ends_at,
    Stop.board_status, Stop.public_sequence, Stop.console_sequence, Stop.timer_seconds,
    Stop.timer_left_ms, Stop.timer_since)


def find_stop(slug: str, *, lock: bool = False) -> Stop:
    query = select(Stop).filter_by(slug=slug).options(STOP_FOR_RULES)
    stop = db.session.scalar(query.with_for_update() if lock else query)
    if stop is None:
        raise BoardError("unknown_stop")
    return stop


def _question(question_id: int, *, lock: bool = True) -> Question:
    question = db.session.get(Question, question_id, with_for_update=lock)
    if question is None:
        raise BoardError("unknown_question")
    return question


def granted(actor: Moderator, stop: Stop) -> Stop:
    """The stop, if this moderator may moderate it (organisers: every stop)."""
    if not actor.may_moderate(stop):
        raise BoardError("forbidden_stop")
    return stop


def _locked(question_id: int) -> tuple[Question, Stop]:
    """Lock the stop first, then the question: every write on a stop takes them in that order
    (its change number is on the stop row, board/sequence.py), so no two writes ever wait on
    each other in a circle."""
    question = _question(question_id, lock=False)
    stop = find_stop(question.stop.slug, lock=True)
    db.session.refresh(question, with_for_update=True)
    return question, stop


def _question_and_stop(question_id: int, actor: Moderator) -> tuple[Question, Stop]:
    question, stop = _locked(question_id)
    return question, granted(actor, stop)


def analyse(question_id: int) -> Outcome:
    """Let the moderation assistant read a stored question; its flags go to the consoles.

    Runs after the author's acknowledgement (board/analysis.py). The board is read before the
    write lock is taken, so its milliseconds of CPU hold up no writer; a question compared
    with earlier ones only, as a moderator reads them. An edit made meanwhile asks again.
    """
    question = db.session.get(Question, question_id)
    if question is None or question.analysed:
        return Outcome({})
    text, stop = question.text, question.stop
    earlier = (Question.stop_id == stop.id, Question.status != QuestionStatus.REJECTED,
               Question.id < question.id)
    # Plain rows, without the ORM: the whole board is read for every new question.
    board = db.session.connection().execute(select(Question.id, Question.text).where(*earlier))
    history = db.session.scalars(
        select(Question.text).where(*earlier, Question.attendee == question.attendee)
    ).all() if question.attendee else []
    analysis = assistant.analyze(text, board=board.all(), author_history=history)
    flags = [
        {key: value for key, value in dataclasses.asdict(flag).items() if value not in (None, "")}
        for flag in analysis.flags
    ]
    with write_transaction():
        if db.session.get(Question, question_id) is None:
            return Outcome({})
        question, stop = _locked(question_id)
        if question.analysed or question.text != text:
            return Outcome({})
        relanguaged = question.language != analysis.language
        question.language = analysis.language
        question.flags = [*flags, *_about_supports(question)]
        question.analysed = True
        produced = events.to_moderators(question, stop)
        if relanguaged and question.status in PUBLISHED:
            # A corrected question already public: phones space it by its language.
            produced.append(events.updated(question, stop))
        return numbered(Outcome({}, produced))


def _about_supports(question: Question) -> list[dict]:
    """The flags that speak of a question's supports, not its words: they outlive a new
    reading of the words."""
    return [flag for flag in question.flags or [] if flag.get("code") == "support_burst"]


# What a submission reads of its stop, as a plain row (id, slug, board status) read on the
# connection: building an ORM object of a stop was a tenth of a submission's time in a storm
# (py-spy, docs/deploy.md). The payloads and events only read the slug.
STOPS = Stop.__table__
STOP_FOR_SUBMIT = (select(STOPS.c.id, STOPS.c.slug, STOPS.c.board_status)
                   .where(STOPS.c.slug == bindparam("slug")).with_for_update())


def submit(submission: Submission, attendee: Attendee) -> Outcome:
    """Store a new question as pending, to be analysed right after the acknowledgement.
    Resending a client_id returns the stored question."""
    token = attendee.token(submission.stop)
    try:
        with write_transaction():
            stop = db.session.connection().execute(STOP_FOR_SUBMIT,
                                                   {"slug": submission.stop}).first()
            if stop is None:
                raise BoardError("unknown_stop")
            # A resent question (same client_id) is found by the unique constraint on insert,
            # below: one query less for every new question.
            if stop.board_status != BoardStatus.OPEN:
                stored = _by_client_id(stop, submission.client_id)
                if stored is not None:  # sent before the board closed, resent after
                    return _resent(stored, stop, token)
                raise BoardError(f"board_{stop.board_status}")
            question = _inserted(
                stop_id=stop.id, client_id=submission.client_id, attendee=token,
                text=submission.text, name=submission.name, flags=[], analysed=False,
                status=QuestionStatus.PENDING,
            )
            return numbered(Outcome({"question": own_question(question, stop.slug)},
                                    events.submitted(question, stop), analyse=[question.id]))
    except IntegrityError:
        # The same client_id is stored already: a resend (the acknowledgement was lost with
        # the connection), or another process stored it a moment ago.
        stop = find_stop(submission.stop)
        stored = _by_client_id(stop, submission.client_id)
        if stored is None:
            raise
        return _resent(stored, stop, token)


# A new question is one INSERT built once and run on the connection, returning the row as
# stored (defaults included): the ORM's unit of work was a quarter of a submission's time in a
# storm (py-spy, docs/deploy.md). The payloads read a Question object made of that row.
QUESTIONS = Question.__table__
INSERT_QUESTION = insert(QUESTIONS).returning(*QUESTIONS.c)


def _inserted(**values) -> Question:
    row = db.session.connection().execute(INSERT_QUESTION, values).one()
    return Question(**row._mapping)


def _by_client_id(stop: Stop, client_id: str) -> Question | None:
    return db.session.scalar(select(Question).filter_by(stop_id=stop.id, client_id=client_id))


def _resent(stored: Question, stop: Stop, token: str) -> Outcome:
    if stored.attendee != token:
        raise BoardError("invalid_client_id")
    return Outcome({"question": own_question(stored, stop.slug), "duplicate": True})


def vote(question_id: int, attendee: Attendee, stop_slug: str | None = None) -> Outcome:
    """Support a published question once, or take the support back (toggle). A request that
    names a stop (the board page's form) names one of its questions."""
    with write_transaction():
        question, stop = _locked(question_id)
        token = attendee.token(stop.slug)
        if question.status not in PUBLISHED or stop_slug not in (None, stop.slug):
            raise BoardError("unknown_question")
        if stop.board_status == BoardStatus.CLOSED:
            raise BoardError("board_closed")
        # A support of any question of its group (board/groups.py) is a support of this one:
        # supporting again takes them all back.
        existing = db.session.scalars(
            select(Vote).where(Vote.question_id.in_(group_of(question.id)),
                               Vote.attendee == token)
        ).all()
        if not existing:
            db.session.add(Vote(question_id=question.id, attendee=token))
        for support in existing:
            db.session.delete(support)
        db.session.flush()
        question.votes = supporters(question.id)
        return numbered(Outcome(
            {"question_id": question.id, "votes": question.votes, "voted": not existing},
            events.supported(question, stop),
        ))


def _record(actor: Moderator, stop: Stop, action: LogAction, question: Question | None,
            before: dict | None, after: dict | None) -> None:
    db.session.add(ModerationEvent(
        stop_id=stop.id, question_id=question.id if question else None, moderator_id=actor.id,
        moderator_login=actor.login, action=action, before=before, after=after,
    ))


def _state(question: Question) -> dict:
    reason = question.reject_reason
    return {
        "status": str(question.status), "text": question.text,
        "reason": str(reason) if reason else None,
        "show_name": question.show_name, "version": question.version,
        "queue": question.queue_position,
    }


def _check_version(question: Question, version: int, stop: Stop) -> None:
    if version != question.version:
        raise BoardError("stale_version", question=moderator_question(question, stop.slug))


def moderate(command: Moderation, actor: Moderator) -> Outcome:
    """Move a question along its life: approve, reject, show, hide, answer, restore.

    A question flagged as holding personal data is published only with `confirm`: the
    projector is photographed, so that choice must be explicit. A question the moderation
    assistant has not read yet is read first, so that no flag can arrive after publishing.
    """
    action = command.action
    sources, target = TRANSITIONS[action]
    exposes = action in (Action.APPROVE, Action.SHOW) and not command.confirm
    read_first = analyse(command.question_id) if exposes else Outcome({})
    with write_transaction():
        question, stop = _question_and_stop(command.question_id, actor)
        _check_version(question, command.version, stop)
        if question.status not in sources:
            raise BoardError("invalid_transition", status=question.status, action=action)
        if exposes and _flagged(question, "personal_data"):
            raise BoardError("confirm_personal_data",
                             question=moderator_question(question, stop.slug))
        produced: list[Event] = list(read_first.events)
        previous = None
        if action is Action.SHOW:
            previous = db.session.scalar(
                select(Question).filter_by(stop_id=stop.id, status=QuestionStatus.ON_SCREEN)
            )
            if previous is not None:
                produced += _apply(previous, stop, Action.HIDE, actor)
                # The index allows one question on screen: the old one must leave first.
                db.session.flush()
        show_name = None
        if command.with_name is not None and action in (Action.APPROVE, Action.SHOW):
            show_name = command.with_name and question.name is not None
        was_on_screen = question.status == QuestionStatus.ON_SCREEN
        produced += _apply(question, stop, action, actor, reason=command.reason,
                           show_name=show_name)
        if action is Action.SHOW:
            produced.append(events.screen_changed(stop, question, previous))
        elif was_on_screen:
            produced.append(events.screen_changed(stop, None, question))
        return numbered(Outcome({"question": moderator_question(question, stop.slug)}, produced))


def _flagged(question: Question, code: str) -> bool:
    return any(flag.get("code") == code for flag in question.flags or [])


def _apply(question: Question, stop: Stop, action: Action, actor: Moderator,
           reason=None, show_name: bool | None = None) -> list[Event]:
    before, was_status = _state(question), question.status
    question.status = TRANSITIONS[action][1]
    question.queue_position = None
    question.reject_reason = reason
    if show_name is not None:
        question.show_name = show_name
    question.version += 1
    question.updated_at = utcnow()
    _record(actor, stop, LogAction(action), question, before, _state(question))
    return events.changed(question, stop, was_status)


def edit(command: Edit, actor: Moderator) -> Outcome:
    """Fix a question's wording; the author's original text is kept."""
    with write_transaction():
        question, stop = _question_and_stop(command.question_id, actor)
        _check_version(question, command.version, stop)
        if command.text == question.text:
            return Outcome({"question": moderator_question(question, stop.slug)})
        before = _state(question)
        if question.original_text is None:
            question.original_text = question.text
        question.text = command.text
        # The old flags spoke of the old words: the console says "analysing" until it is read.
        question.flags = _about_supports(question)
        question.analysed = False
        question.version += 1
        question.updated_at = utcnow()
        _record(actor, stop, LogAction.EDIT, question, before, _state(question))
        produced = events.changed(question, stop, question.status)
        if question.status == QuestionStatus.ON_SCREEN:
            produced.append(events.screen_changed(stop, question, None))
        return numbered(Outcome({"question": moderator_question(question, stop.slug)}, produced,
                                analyse=[question.id]))


def _queue(stop: Stop) -> list[Question]:
    """The approved questions moderators chose to put on screen next, in their order."""
    return db.session.scalars(
        select(Question)
        .where(Question.stop_id == stop.id, Question.status == QuestionStatus.APPROVED,
               Question.queue_position.is_not(None))
        .order_by(Question.queue_position, Question.id)
    ).all()


def arrange(command: Arrange, actor: Moderator) -> Outcome:
    """Put an approved question in the queue of next questions, take it out, or move it one
    place up or down (it swaps with its neighbour, whose version changes too)."""
    with write_transaction():
        question, stop = _question_and_stop(command.question_id, actor)
        _check_version(question, command.version, stop)
        if question.status != QuestionStatus.APPROVED:
            raise BoardError("invalid_transition", status=question.status, action=command.move)
        queue = _queue(stop)
        before, moved = question.queue_position, [question]
        if command.move is Arrangement.QUEUE and question.queue_position is None:
            question.queue_position = max((q.queue_position for q in queue), default=0) + 1
        elif command.move is Arrangement.UNQUEUE:
            question.queue_position = None
        elif command.move in (Arrangement.UP, Arrangement.DOWN) and question in queue:
            index = queue.index(question) + (-1 if command.move is Arrangement.UP else 1)
            if 0 <= index < len(queue):
                neighbour = queue[index]
                question.queue_position, neighbour.queue_position = (
                    neighbour.queue_position, question.queue_position)
                neighbour.version += 1
                moved.append(neighbour)
        if question.queue_position == before:
            # Already queued, already out, or already at that end: nothing to tell anyone.
            return Outcome({"question": moderator_question(question, stop.slug)})
        question.version += 1
        question.updated_at = utcnow()
        log_action = {Arrangement.QUEUE: LogAction.QUEUE,
                      Arrangement.UNQUEUE: LogAction.UNQUEUE}.get(command.move, LogAction.MOVE)
        _record(actor, stop, log_action, question, {"queue": before},
                {"queue": question.queue_position})
        produced = [event for q in moved for event in events.to_moderators(q, stop)]
        # The acting console gets the neighbour in its answer too: with only the moved question
        # it would show both at one place until the neighbour's event arrives.
        return numbered(Outcome({"question": moderator_question(question, stop.slug),
                                 "moved": [moderator_question(q, stop.slug) for q in moved[1:]]},
                                produced))


def next_question(command: NextQuestion, actor: Moderator) -> Outcome:
    """"Question suivante": the question on screen is marked answered and the head of the
    queue takes its place, in one change the projector and the phones get as one event."""
    # Corrected since it was queued and not read again yet: read now, as `moderate` does.
    read_first = analyse(command.head) if not command.confirm else Outcome({})
    with write_transaction():
        stop = granted(actor, find_stop(command.stop, lock=True))
        queue = _queue(stop)
        if not queue:
            raise BoardError("queue_empty")
        head = queue[0]
        if (head.id, head.version) != (command.head, command.version):
            raise BoardError("stale_version", question=moderator_question(head, stop.slug))
        if _flagged(head, "personal_data") and not command.confirm:
            raise BoardError("confirm_personal_data",
                             question=moderator_question(head, stop.slug))
        leaving = db.session.scalar(
            select(Question).filter_by(stop_id=stop.id, status=QuestionStatus.ON_SCREEN))
        produced: list[Event] = list(read_first.events)
        if leaving is not None:
            produced += _apply(leaving, stop, Action.ANSWER, actor)
            # The index allows one question on screen: the old one must leave first.
            db.session.flush()
        produced += _apply(head, stop, Action.SHOW, actor)
        produced.append(events.screen_changed(stop, head, leaving))
        value = {"question": moderator_question(head, stop.slug),
                 "answered": moderator_question(leaving, stop.slug) if leaving else None}
        return numbered(Outcome(value, produced))


def set_board_status(command: BoardChange, actor: Moderator) -> Outcome:
    """Open the board, keep it for support only, or close it."""
    with write_transaction():
        stop = granted(actor, find_stop(command.stop, lock=True))
        before = stop.board_status
        stop.board_status = command.status
        _record(actor, stop, LogAction.BOARD, None, {"board": str(before)},
                {"board": str(command.status)})
        value = {"stop": stop.slug, "status": str(command.status)}
        return numbered(Outcome(value,
                                events.board_status(stop) if before != command.status else []))


# Below every finding of the assistant: it says something about the supports, not the words.
SUPPORT_BURST_SEVERITY = 1


def mark_support_burst(question_id: int, count: int) -> Outcome:
    """Tell moderators that a question just got `count` supports within a minute from fresh
    identities of one network: maybe a script (docs/security.md). Advice only; supports stay."""
    with write_transaction():
        question, stop = _locked(question_id)
        flags = [flag for flag in question.flags or [] if flag.get("code") != "support_burst"]
        question.flags = [*flags, {"code": "support_burst", "reason": "burst",
                                   "evidence": str(count), "severity": SUPPORT_BURST_SEVERITY}]
        return numbered(Outcome({}, events.to_moderators(question, stop)))
