"""A question and the questions merged into it (board/merging.py) count as one: their supports
are counted together, each attendee once."""

from __future__ import annotations

from sqlalchemy import distinct, func, or_, select

from caravane.board.models import Question, Vote
from caravane.extensions import db


def group_of(question_id: int):
    """The ids of a question and of every question grouped into it, as a subquery."""
    return select(Question.id).where(
        or_(Question.id == question_id, Question.merged_into_id == question_id))


def supporters(question_id: int) -> int:
    """Supports of a question and of the questions grouped into it, each attendee once."""
    return db.session.scalar(
        select(func.count(distinct(Vote.attendee))).where(
            Vote.question_id.in_(group_of(question_id))))
