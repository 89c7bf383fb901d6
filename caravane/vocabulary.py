"""The words of the live board, said once: statuses, actions, reasons, board states, limits.

The database checks these values (CHECK constraints), the rules use them, and the pages
receive them from the server (`page_vocabulary`) instead of repeating them in JavaScript.
"""

from __future__ import annotations

from enum import StrEnum

TEXT_MIN, TEXT_MAX, NAME_MAX = 10, 500, 40
# A written answer: a few sentences and a link or two (issue 14).
ANSWER_MAX = 1000
# The answer timer's countdown when a stop starts it for the first time, in seconds.
TIMER_DEFAULT, TIMER_MIN, TIMER_MAX = 120, 10, 60 * 60


class QuestionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    ON_SCREEN = "on_screen"
    ANSWERED = "answered"
    REJECTED = "rejected"
    # Grouped into another question that says the same (merged_into): its author and
    # supporters follow that one; undoing the merge gives it its status back.
    MERGED = "merged"


# What the room sees: the board's list, the projector, the supports.
PUBLISHED = frozenset({QuestionStatus.APPROVED, QuestionStatus.ON_SCREEN, QuestionStatus.ANSWERED})


class Action(StrEnum):
    """What a moderator does to a question's status, in the order the console offers them."""

    APPROVE = "approve"
    SHOW = "show"
    HIDE = "hide"
    ANSWER = "answer"
    REJECT = "reject"
    RESTORE = "restore"


# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[QuestionStatus], QuestionStatus]] = {
    Action.APPROVE: (frozenset({QuestionStatus.PENDING}), QuestionStatus.APPROVED),
    Action.REJECT: (frozenset({QuestionStatus.PENDING, QuestionStatus.APPROVED}),
                    QuestionStatus.REJECTED),
    Action.SHOW: (frozenset({QuestionStatus.APPROVED, QuestionStatus.ANSWERED}),
                  QuestionStatus.ON_SCREEN),
    Action.HIDE: (frozenset({QuestionStatus.ON_SCREEN}), QuestionStatus.APPROVED),
    Action.ANSWER: (frozenset({QuestionStatus.APPROVED, QuestionStatus.ON_SCREEN}),
                    QuestionStatus.ANSWERED),
    Action.RESTORE: (frozenset({QuestionStatus.REJECTED}), QuestionStatus.PENDING),
}


class Arrangement(StrEnum):
    """How a moderator arranges the queue of approved questions to put on screen next."""

    QUEUE = "queue"  # to the end of the queue
    UNQUEUE = "unqueue"  # out of it, still approved
    UP = "up"
    DOWN = "down"


class RejectReason(StrEnum):
    """Why a question was set aside; its author reads it."""

    OFF_TOPIC = "off_topic"
    DUPLICATE = "duplicate"
    ABUSIVE = "abusive"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


class BoardStatus(StrEnum):
    OPEN = "open"  # questions and supports
    VOTING_ONLY = "voting_only"  # supports only
    CLOSED = "closed"


class LogAction(StrEnum):
    """What the moderation log records: every status action, edits, board changes, and the
    queue of next questions."""

    APPROVE = "approve"
    REJECT = "reject"
    SHOW = "show"
    HIDE = "hide"
    ANSWER = "answer"
    RESTORE = "restore"
    EDIT = "edit"
    BOARD = "board"
    QUEUE = "queue"
    UNQUEUE = "unqueue"
    MOVE = "move"
    MERGE = "merge"
    UNMERGE = "unmerge"
    REPLY = "reply"  # a written answer written, changed or taken back
    RECORD = "record"  # the stop's public record published or withdrawn


def actions_from(status: QuestionStatus) -> list[Action]:
    """The status actions a question in this status offers, in the order of Action."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
