"""Requests as they arrive (socket payloads, form fields), parsed into typed commands.

Handlers call these at the edge; the rules then receive values of the right type and shape.
Each bad field raises the BoardError its client already knows (`text_too_short`,
`invalid_client_id`, …), worded in the reader's language by board/messages.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from caravane.board.errors import BoardError
from caravane.vocabulary import (
    ANSWER_MAX,
    NAME_MAX,
    TEXT_MAX,
    TEXT_MIN,
    TIMER_MAX,
    TIMER_MIN,
    Action,
    Arrangement,
    BoardStatus,
    RejectReason,
)

CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
SLUG_MAX = 60
# Format characters (Unicode's Cf) draw nothing: direction marks, overrides and isolates can
# reverse what a moderator reads; zero-width spaces, soft hyphens and tag characters can hide
# words from the filters, or a name. All go, but the joiners (U+200C, U+200D), which Persian
# and emoji sequences need inside a word: a run of them is one, and none stands at a word's
# edge, so a question of joiners alone is empty.
JOINERS = "\u200c\u200d"
_JOINER_RUN = re.compile(f"[{JOINERS}]{{2,}}")
# Letters and signs that draw nothing either (Hangul fillers, the blank Braille pattern): spaces.
_BLANKS = dict.fromkeys([0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800], " ")


@dataclass(frozen=True)
class Submission:
    stop: str
    text: str
    client_id: str
    name: str | None = None


@dataclass(frozen=True)
class Moderation:
    question_id: int
    action: Action
    version: int
    reason: RejectReason | None = None
    with_name: bool | None = None  # None: keep the question's choice
    confirm: bool = False  # publish even though personal data was flagged


@dataclass(frozen=True)
class Edit:
    question_id: int
    text: str
    version: int


@dataclass(frozen=True)
class Arrange:
    question_id: int
    move: Arrangement
    version: int


@dataclass(frozen=True)
class NextQuestion:
    """Answer the question on screen and show the head of the queue, which the moderator saw
    as `head` at `version`: two moderators pressing "next" at once advance it once."""

    stop: str
    head: int
    version: int
    confirm: bool = False


@dataclass(frozen=True)
class Merge:
    """Group `merged` into `question_id`, the question kept."""

    question_id: int
    merged: tuple[int, ...]


@dataclass(frozen=True)
class Unmerge:
    question_id: int
    version: int


@dataclass(frozen=True)
class Reply:
    """A written answer to a question; empty text takes the answer back. `language` is the
    moderator's interface language, used when the text alone does not tell its language."""

    question_id: int
    text: str
    version: int
    language: str = "fr"


MERGE_MAX = 50  # questions grouped at once: more is a mistake, not a debate


@dataclass(frozen=True)
class BoardChange:
    stop: str
    status: BoardStatus


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cc":
        return " "
    return "" if category == "Cf" and char not in JOINERS else char


def clean_text(value: object) -> str:
    """NFC, no control or invisible character (joiners only inside words), single spaces."""
    if not isinstance(value, str):
        return ""
    value = "".join(map(_visible, unicodedata.normalize("NFC", value).translate(_BLANKS)))
    words = (_JOINER_RUN.sub(lambda run: run.group()[0], word).strip(JOINERS)
             for word in value.split())
    return " ".join(word for word in words if word)


def question_text(value: object) -> str:
    text = clean_text(value)
    if len(text) < TEXT_MIN:
        raise BoardError("text_too_short", min=TEXT_MIN)
    if len(text) > TEXT_MAX:
        raise BoardError("text_too_long", max=TEXT_MAX)
    return text


def author_name(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BoardError("invalid_name")
    name = clean_text(value)
    if len(name) > NAME_MAX:
        raise BoardError("name_too_long", max=NAME_MAX)
    return name or None


def stop_slug(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > SLUG_MAX:
        raise BoardError("unknown_stop")
    return value


# Ids are 32-bit integers in PostgreSQL (64 in SQLite): a larger number names no question, and
# must not reach the database, which would fail on it instead of finding nothing.
ID_MAX = 2**31 - 1


def question_id(value: object) -> int:
    # bool is an int in Python: `true` is not question 1.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ID_MAX:
        raise BoardError("unknown_question")
    return value


def _version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BoardError("invalid_version")
    return value


def _member(enum, value: object, code: str):
    try:
        return enum(value)
    except (ValueError, TypeError):  # a list or a dict is not even hashable
        raise BoardError(code) from None


def submission(data: Mapping) -> Submission:
    client_id = data.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise BoardError("invalid_client_id")
    return Submission(
        stop=stop_slug(data.get("stop")), text=question_text(data.get("text")),
        client_id=client_id, name=author_name(data.get("name")),
    )


def moderation(data: Mapping) -> Moderation:
    action = _member(Action, data.get("action"), "unknown_action")
    reason = None
    if action is Action.REJECT:
        reason = _member(RejectReason, data.get("reason"), "invalid_reason")
    with_name = data.get("with_name")
    return Moderation(
        question_id=question_id(data.get("question_id")), action=action,
        version=_version(data.get("version")), reason=reason,
        with_name=with_name if isinstance(with_name, bool) else None,
        confirm=data.get("confirm") is True,
    )


def edit(data: Mapping) -> Edit:
    return Edit(question_id=question_id(data.get("question_id")),
                text=question_text(data.get("text")), version=_version(data.get("version")))


def answer_text(value: object) -> str:
    """Like a question's text, but paragraphs stay: line breaks are kept, blank runs shrink."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BoardError("invalid_answer")
    lines = [clean_text(line) for line in value.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(text) > ANSWER_MAX:
        raise BoardError("answer_too_long", max=ANSWER_MAX)
    return text


def merge(data: Mapping) -> Merge:
    merged = data.get("merged")
    if not isinstance(merged, list) or not merged or len(merged) > MERGE_MAX:
        raise BoardError("nothing_to_merge")
    kept = question_id(data.get("question_id"))
    ids = tuple(dict.fromkeys(question_id(value) for value in merged))
    if kept in ids:
        raise BoardError("nothing_to_merge")
    return Merge(question_id=kept, merged=ids)


def unmerge(data: Mapping) -> Unmerge:
    return Unmerge(question_id=question_id(data.get("question_id")),
                   version=_version(data.get("version")))


def reply(data: Mapping, language: str) -> Reply:
    return Reply(question_id=question_id(data.get("question_id")),
                 text=answer_text(data.get("text")), version=_version(data.get("version")),
                 language=language)


def board_change(data: Mapping) -> BoardChange:
    return BoardChange(stop=stop_slug(data.get("stop")),
                       status=_member(BoardStatus, data.get("status"), "unknown_board_status"))


def arrange(data: Mapping) -> Arrange:
    return Arrange(question_id=question_id(data.get("question_id")),
                   move=_member(Arrangement, data.get("move"), "unknown_action"),
                   version=_version(data.get("version")))


def next_question(data: Mapping) -> NextQuestion:
    return NextQuestion(stop=stop_slug(data.get("stop")), head=question_id(data.get("head")),
                        version=_version(data.get("version")),
                        confirm=data.get("confirm") is True)


TIMER_COMMANDS = ("start", "pause", "reset")


@dataclass(frozen=True)
class TimerCommand:
    """Start, pause or reset a stop's answer timer; `seconds` (reset only) sets a new length."""

    stop: str
    command: str  # one of TIMER_COMMANDS
    seconds: int | None = None


def timer_command(data: Mapping) -> TimerCommand:
    command = data.get("command")
    if command not in TIMER_COMMANDS:
        raise BoardError("unknown_timer_command")
    seconds = data.get("seconds")
    # bool is an int in Python: `true` is not one second.
    if seconds is not None and (
            command != "reset" or isinstance(seconds, bool) or not isinstance(seconds, int)
            or not TIMER_MIN <= seconds <= TIMER_MAX):
        raise BoardError("invalid_timer_length", min=TIMER_MIN, max=TIMER_MAX // 60)
    return TimerCommand(stop=stop_slug(data.get("stop")), command=command, seconds=seconds)
