"""Moderator accounts: create, list, remove, sign in and sign out for good."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from caravane.accounts.models import Moderator
from caravane.extensions import db, login_manager
from caravane.tour.models import Stop

LOGIN = re.compile(r"^[A-Za-z0-9._-]{2,60}$")
PASSWORD_MIN = 10
# Checked when the login is unknown, so that a wrong login costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class AccountError(ValueError):
    pass


@login_manager.user_loader
def load_moderator(user_id: str) -> Moderator | None:
    # The id carries the session version: a cookie from before a sign-out no longer matches.
    identifier, _, version = user_id.partition(":")
    if not identifier.isdigit() or not version.isdigit():
        return None
    moderator = db.session.get(Moderator, int(identifier))
    if moderator is None or moderator.session_version != int(version):
        return None
    return moderator


def add(login: str, password: str, *, stops: Sequence[str] = (),
        every_stop: bool = False) -> Moderator:
    """Create a moderator of these stops (slugs), or of every stop."""
    if not stops and not every_stop:
        raise AccountError("say which stops this moderator moderates: --stop STOP, or --all")
    if not LOGIN.match(login):
        raise AccountError("login: 2 to 60 letters, digits, dots, dashes or underscores")
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"password: at least {PASSWORD_MIN} characters")
    if db.session.scalar(select(Moderator).filter_by(login=login)):
        raise AccountError(f"login {login!r} already exists")
    moderator = Moderator(login=login, session_version=0, every_stop=every_stop,
                          stops=[_stop(slug) for slug in stops])
    moderator.set_password(password)
    db.session.add(moderator)
    db.session.commit()
    return moderator


def _stop(slug: str) -> Stop:
    stop = db.session.scalar(select(Stop).filter_by(slug=slug))
    if stop is None:
        raise AccountError(f"no stop {slug!r}")
    return stop


def _moderator(login: str) -> Moderator:
    moderator = db.session.scalar(select(Moderator).filter_by(login=login))
    if moderator is None:
        raise AccountError(f"no moderator {login!r}")
    return moderator


def grant(login: str, slug: str) -> None:
    moderator, stop = _moderator(login), _stop(slug)
    if stop not in moderator.stops:
        moderator.stops.append(stop)
    db.session.commit()


def revoke(login: str, slug: str) -> None:
    """Take a stop away; an organiser (every stop) must be given single stops first."""
    moderator, stop = _moderator(login), _stop(slug)
    if moderator.every_stop:
        raise AccountError(f"{login} moderates every stop (--all): "
                           f"remove and add them again with --stop")
    if stop in moderator.stops:
        moderator.stops.remove(stop)
    db.session.commit()


def all_moderators() -> list[Moderator]:
    return list(db.session.scalars(select(Moderator).order_by(Moderator.login)))


def remove(login: str) -> bool:
    moderator = db.session.scalar(select(Moderator).filter_by(login=login))
    if moderator is None:
        return False
    db.session.delete(moderator)
    db.session.commit()
    return True


def authenticate(login: str, password: str) -> Moderator | None:
    moderator = db.session.scalar(select(Moderator).filter_by(login=login))
    if moderator is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return moderator if moderator.check_password(password) else None


def end_sessions(moderator: Moderator) -> None:
    """Invalidate every session of this moderator, on every device."""
    moderator.session_version += 1
    db.session.commit()
