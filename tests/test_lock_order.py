"""Every write on a stop locks the stop row first, then the question (the stop holds the change
numbers, board/sequence.py): supports and moderation on one question at the same moment never
wait on each other in a circle. PostgreSQL would abort one of them as a deadlock; SQLite
serialises its writers anyway."""

from __future__ import annotations

import threading

from sqlalchemy import select

from caravane.accounts.models import Moderator
from caravane.board import rules
from caravane.board.errors import BoardError
from caravane.board.models import Question
from caravane.extensions import db
from tests import board_calls

ROUNDS = 40


def test_supports_and_moderation_of_one_question_at_once_never_deadlock(app, moderator):
    with app.app_context():
        actor = db.session.scalar(select(Moderator))
        question_id = board_calls.submit(
            "calais", "phone", "Les caméras de la gare filment-elles le parvis ?"
        ).value["question"]["id"]
        board_calls.moderate(question_id, "approve", 1, actor)
        db.session.remove()
    failures: list[BaseException] = []

    def supporter() -> None:
        with app.app_context():
            for round_ in range(ROUNDS):
                try:
                    board_calls.vote(question_id, f"supporter {round_ % 3}")
                except BaseException as error:  # noqa: BLE001 - reported below
                    failures.append(error)
                db.session.remove()

    def moderating() -> None:
        with app.app_context():
            actor = db.session.scalar(select(Moderator))
            for round_ in range(ROUNDS):
                version = db.session.get(Question, question_id).version
                db.session.remove()
                try:
                    board_calls.moderate(question_id, "hide" if round_ % 2 else "show",
                                         version, actor)
                except BoardError:
                    pass  # a version or a status that moved meanwhile: refused, as it should
                except BaseException as error:  # noqa: BLE001 - reported below
                    failures.append(error)
                db.session.remove()

    threads = [threading.Thread(target=supporter), threading.Thread(target=moderating)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures[:3]
    with app.app_context():
        assert rules.find_stop("calais").public_sequence >= ROUNDS
        db.session.remove()
