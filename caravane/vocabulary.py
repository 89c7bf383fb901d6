"""The words of the live board, said once: statuses, actions, reasons, board states, limits.

The database checks these values (CHECK constraints), the rules use them, and the pages
receive them from the server (`page_vocabulary`) instead of repeating them in JavaScript.
"""

from __future__ import annotations

from enum import StrEnum

TEXT_MIN, TEXT_MAX, NAME_MAX = 10, 500, 40


class QuestionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    ON_SCREEN = "on_screen"
    ANSWERED = "answered"
    REJECTED = "rejected"


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


def actions_from(status: QuestionStatus) -> list[Action]:
    """The status actions a question in this status offers, in the order of Action."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
