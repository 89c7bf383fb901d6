"""The room's part of a phone's snapshot is built once per change and reused (issue 18): a phone
that joins right after any kind of change gets exactly what a snapshot built from scratch
holds."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from caravane.board import analysis, service, snapshots
from caravane.board.models import Question
from caravane.extensions import db
from caravane.tour.models import Stop
from tests.conftest import new_attendee

TEXTS = ["Combien de caméras la ville a-t-elle installées depuis 2020 ?",
         "Qui a accès aux images des caméras de la gare ?"]


def ask(phone, text: str) -> dict:
    answer = phone.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                   "text": text}, callback=True)
    assert answer["ok"], answer
    return answer["question"]


class Board:
    """A console and two phones; each step is a change, then a fresh phone joins."""

    def __init__(self, app, console, attendee):
        self.app, self.console, self.phone = app, console, attendee
        self.questions: list[int] = []

    def moderate(self, question_id: int, action: str, **extra) -> dict:
        answer = self.console.emit(
            "moderate", {"question_id": question_id, "action": action,
                         "version": self.version(question_id), **extra},
            namespace="/moderation", callback=True)
        assert answer["ok"], answer
        return answer["question"]

    def edit(self, question_id: int, text: str) -> None:
        answer = self.console.emit("edit", {"question_id": question_id, "text": text,
                                            "version": self.version(question_id)},
                                   namespace="/moderation", callback=True)
        assert answer["ok"], answer
        # A phone joins before the assistant has read the new words (most likely: it reads
        # them in a quiet moment): the view of the room it caches must not outlive that reading.
        new_attendee(self.app).emit("join", {"stop": "calais"}, callback=True)
        assert analysis.wait_until_read(self.app)

    def version(self, question_id: int) -> int:
        """As the console last saw it (showing one question moves the other one too)."""
        with self.app.app_context():
            version = db.session.get(Question, question_id).version
            db.session.remove()
        return version

    def board(self, status: str) -> None:
        assert self.console.emit("board", {"stop": "calais", "status": status},
                                 namespace="/moderation", callback=True)["ok"]

    def vote(self) -> None:
        question_id = self.questions[0]
        assert self.phone.emit("vote", {"question_id": question_id}, callback=True)["ok"]

    def purge(self) -> None:
        with self.app.app_context():
            service.purge(list(db.session.scalars(select(Stop).filter_by(slug="calais"))))
            db.session.remove()

    def joined_equals_scratch(self) -> None:
        joined = new_attendee(self.app).emit("join", {"stop": "calais"}, callback=True)
        with self.app.app_context():
            scratch = snapshots.public_snapshot("calais", None, reuse=False)
            db.session.remove()
        room = ("stop", "board", "on_screen", "questions", "seq")
        assert {key: joined[key] for key in room} == {key: scratch[key] for key in room}


@pytest.fixture
def board(app, console, attendee):
    board = Board(app, console, attendee)
    for text in TEXTS:
        board.questions.append(ask(attendee, text)["id"])
    assert analysis.wait_until_read(app)
    board.joined_equals_scratch()  # the view at the start is cached from here on
    return board


def steps(board: Board) -> list:
    first, second = board.questions
    return [
        lambda: board.moderate(first, "approve"),
        lambda: board.moderate(second, "approve"),
        board.vote,
        board.vote,  # the support taken back
        lambda: board.moderate(first, "show"),
        lambda: board.edit(first, "Combien de caméras la ville a-t-elle posées depuis 2020 ?"),
        # A correction in another language: the assistant's new reading reaches phones too.
        lambda: board.edit(second, "Who can see the images from the station's cameras?"),
        lambda: board.moderate(second, "show"),
        lambda: board.moderate(second, "answer"),
        lambda: board.moderate(first, "reject", reason="off_topic"),
        lambda: board.moderate(first, "restore"),
        lambda: board.board("voting_only"),
        lambda: board.board("closed"),
        board.purge,
    ]


def test_a_phone_joining_after_each_kind_of_change_gets_the_board_built_from_scratch(board):
    for step in steps(board):
        step()
        board.joined_equals_scratch()


def test_the_rooms_view_is_built_once_per_change(app, board):
    with app.app_context():
        first = snapshots.public_snapshot("calais", None)
        again = snapshots.public_snapshot("calais", None)
        assert again["questions"] is first["questions"]
        db.session.remove()
    board.moderate(board.questions[0], "approve")
    with app.app_context():
        after = snapshots.public_snapshot("calais", None)
        assert after["questions"] is not first["questions"]
        assert len(after["questions"]) == 1
        db.session.remove()
