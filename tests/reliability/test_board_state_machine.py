"""Random evenings driven straight through the board's inputs and rules: attendees ask and
support, two moderators act on what they last saw (often stale). The board's invariants hold
after every step."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import delete, func, select

from caravane import create_app
from caravane.accounts import moderators
from caravane.accounts.models import Moderator
from caravane.board.errors import BoardError
from caravane.board.models import ModerationEvent, Question, Vote
from caravane.extensions import db
from caravane.tour.loader import load_tour
from caravane.tour.models import Stop
from caravane.vocabulary import TRANSITIONS
from tests.board_calls import edit, moderate, set_board_status, submit, vote

pytestmark = pytest.mark.slow

ATTENDEES = [f"attendee-{n}" for n in range(4)]
STOPS = ["calais", "lille"]
ALLOWED = {(source, target) for sources, target in TRANSITIONS.values() for source in sources}


_APP = None


def shared_app():
    """One app and database for every example; each example starts from an empty board."""
    global _APP
    if _APP is None:
        folder = Path(tempfile.mkdtemp(prefix="caravane-state-"))
        _APP = create_app({
            "TESTING": True, "SECRET_KEY": "x", "RATELIMIT_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{folder / 'state.sqlite3'}",
        })
        with _APP.app_context():
            upgrade(directory=_APP.extensions["migrate"].directory)
            load_tour()
            moderators.add("alix", "a long enough password", every_stop=True)
            moderators.add("sacha", "a long enough password", every_stop=True)
    return _APP


class Evening(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.app = shared_app()
        self.context = self.app.app_context()
        self.context.push()
        for model in (Vote, ModerationEvent, Question):
            db.session.execute(delete(model))
        for stop in db.session.scalars(select(Stop)):
            stop.board_status = "open"
        db.session.commit()
        self.moderators = {m.login: m for m in db.session.scalars(select(Moderator))}
        self.seen = {login: {} for login in self.moderators}  # question id -> version seen
        self.status = {}  # question id -> last status observed
        self.client_ids = []  # (stop, attendee, client_id) already sent
        self.logged = 0

    def teardown(self):
        db.session.remove()
        self.context.pop()

    def _ids(self):
        return sorted(self.status)

    # --- attendees ---------------------------------------------------------------------------

    @rule(stop=st.sampled_from(STOPS), attendee=st.sampled_from(ATTENDEES),
          text=st.sampled_from(["Qui regarde les images des caméras ?",
                                "Combien coûte la vidéosurveillance algorithmique ?",
                                "court", "x" * 501]))
    def submit(self, stop, attendee, text):
        client_id = str(uuid.uuid4())
        try:
            outcome = submit(stop, attendee, text, client_id)
        except BoardError as error:
            assert error.code in ("text_too_short", "text_too_long", "board_closed",
                                  "board_voting_only")
            return
        question = outcome.value["question"]
        assert question["status"] == "pending"
        self.status[question["id"]] = "pending"
        self.client_ids.append((stop, attendee, client_id, question["id"]))

    @precondition(lambda self: self.client_ids)
    @rule(data=st.data())
    def resend(self, data):
        """A phone that lost the acknowledgement sends the same question again."""
        stop, attendee, client_id, question_id = data.draw(st.sampled_from(self.client_ids))
        before = db.session.scalar(select(func.count()).select_from(Question))
        outcome = submit(stop, attendee, "Renvoyée après une coupure réseau ?", client_id)
        assert outcome.value["question"]["id"] == question_id
        assert db.session.scalar(select(func.count()).select_from(Question)) == before

    @precondition(lambda self: self.status)
    @rule(data=st.data(), attendee=st.sampled_from(ATTENDEES))
    def vote(self, data, attendee):
        question_id = data.draw(st.sampled_from(self._ids()))
        try:
            vote(question_id, attendee)
        except BoardError as error:
            assert error.code in ("unknown_question", "board_closed")

    # --- moderators --------------------------------------------------------------------------

    @precondition(lambda self: self.status)
    @rule(data=st.data(), login=st.sampled_from(["alix", "sacha"]),
          action=st.sampled_from(sorted(str(action) for action in TRANSITIONS)),
          reason=st.sampled_from(["off_topic", "abusive", None]))
    def moderate(self, data, login, action, reason):
        self._moderate(data.draw(st.sampled_from(self._ids())), login, action, reason)

    def _moderate(self, question_id, login, action, reason):
        question = db.session.get(Question, question_id)
        current = question.version
        version = self.seen[login].get(question_id, current)
        previous_screen = db.session.scalar(
            select(Question.id).filter_by(stop_id=question.stop_id, status="on_screen"))
        try:
            outcome = moderate(question_id, action, version, self.moderators[login],
                                     reason=reason)
        except BoardError as error:
            assert error.code in ("stale_version", "invalid_transition", "invalid_reason")
            if error.code == "stale_version":
                assert version != current
                self.seen[login][question_id] = error.params["question"]["version"]
            return
        assert version == current
        after = outcome.value["question"]
        self.seen[login][question_id] = after["version"]
        self.logged += 1
        if action == "show" and previous_screen not in (None, question_id):
            self.logged += 1  # the question it replaced was hidden, and that is logged too

    @precondition(lambda self: any(s in ("pending", "approved", "answered")
                                   for s in self.status.values()))
    @rule(data=st.data(), login=st.sampled_from(["alix", "sacha"]))
    def put_on_screen(self, data, login):
        """The usual path, taken on purpose: approve if needed, then show, with fresh versions."""
        candidates = [i for i, s in self.status.items() if s in ("pending", "approved", "answered")]
        question_id = data.draw(st.sampled_from(sorted(candidates)))
        question = db.session.get(Question, question_id)
        if question.status == "pending":
            self.seen[login][question_id] = question.version
            self._moderate(question_id, login, "approve", None)
            self.no_question_disappears_and_states_move_only_along_allowed_transitions()
        question = db.session.get(Question, question_id)
        if question.status in ("approved", "answered"):
            self.seen[login][question_id] = question.version
            self._moderate(question_id, login, "show", None)

    @precondition(lambda self: self.status)
    @rule(data=st.data(), login=st.sampled_from(["alix", "sacha"]))
    def edit(self, data, login):
        question_id = data.draw(st.sampled_from(self._ids()))
        question = db.session.get(Question, question_id)
        version = self.seen[login].get(question_id, question.version)
        new_text = f"Reformulée par {login} : qui garde les images ?"
        changes = new_text != question.text
        try:
            outcome = edit(question_id, new_text, version, self.moderators[login])
        except BoardError as error:
            assert error.code == "stale_version"
            self.seen[login][question_id] = error.params["question"]["version"]
            return
        self.seen[login][question_id] = outcome.value["question"]["version"]
        self.logged += 1 if changes else 0

    @rule(login=st.sampled_from(["alix", "sacha"]), stop=st.sampled_from(STOPS),
          status=st.sampled_from(["open", "voting_only", "closed"]))
    def set_board(self, login, stop, status):
        set_board_status(stop, status, self.moderators[login])
        self.logged += 1

    @rule(login=st.sampled_from(["alix", "sacha"]))
    def refresh_console(self, login):
        """The console reconnects and gets a fresh snapshot."""
        self.seen[login] = {}

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def at_most_one_question_on_screen_per_stop(self):
        rows = db.session.execute(
            select(Question.stop_id, func.count()).filter_by(status="on_screen")
            .group_by(Question.stop_id)).all()
        assert all(count <= 1 for _stop, count in rows)

    @invariant()
    def support_counts_equal_distinct_supporters(self):
        for question in db.session.scalars(select(Question)):
            supporters = db.session.scalar(
                select(func.count(func.distinct(Vote.attendee))).filter_by(
                    question_id=question.id))
            assert question.votes == supporters, question.id

    @invariant()
    def no_question_disappears_and_states_move_only_along_allowed_transitions(self):
        stored = {q.id: q.status for q in db.session.scalars(select(Question))}
        for question_id, status in self.status.items():
            assert question_id in stored
            new = stored[question_id]
            assert new == status or (status, new) in ALLOWED, (status, new)
            self.status[question_id] = new

    @invariant()
    def every_moderation_action_is_logged(self):
        assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == self.logged
        db.session.remove()


Evening.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_evenings_keep_the_board_consistent = Evening.TestCase
