"""The message queue several processes share (Redis): checked before serving, watched while
serving (docs/deploy.md, When Redis fails).

python-socketio, left to itself, starts without the `redis` package or without a Redis that
answers, logs "Cannot publish to redis... giving up" at each event and carries on: the phones
held by the other processes see nothing and nobody is told. Here:

- `check()` refuses to start, in one line, when the library is missing or the queue does not
  answer;
- `WatchedRedisManager` knows whether the queue answers (its publications and a ping each
  second), stops waiting on a dead queue, and resubscribes within two seconds of its return
  (python-socketio backs off up to a minute, during which this process would hear nothing).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import click
import socketio

log = logging.getLogger(__name__)

SCHEMES = ("redis", "rediss", "unix")
# Seconds to wait for the queue at start-up and at each ping: a Redis on the venue's network
# answers in milliseconds; longer means it is not there.
ANSWER_TIMEOUT = 3.0
# Seconds between two attempts to subscribe again after the queue went away.
RESUBSCRIBE_EVERY = 1.0


class MessageQueueUnavailable(click.ClickException):
    """The configured message queue cannot be used. A ClickException, so that `caravane` and
    `flask` print its one line and exit 1; under gunicorn the worker fails to boot and gunicorn
    stops, rather than serve a site whose processes cannot hear each other."""


def shown(url: str) -> str:
    """The queue's address without its password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check(url: str) -> None:
    """Raise MessageQueueUnavailable unless `url` is a Redis that answers, with its library."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise MessageQueueUnavailable(
            f"CARAVANE_MESSAGE_QUEUE={shown(url)}: caravane works with Redis only "
            "(redis://, rediss:// or unix://).")
    try:
        import redis  # noqa: F401
    except ImportError:
        raise MessageQueueUnavailable(
            "CARAVANE_MESSAGE_QUEUE is set but the redis package is missing: "
            "pip install 'caravane[redis]' (docs/deploy.md).") from None
    problem = ping(url)
    if problem:
        raise MessageQueueUnavailable(
            f"the message queue at {shown(url)} does not answer ({problem}): start Redis, "
            "or unset CARAVANE_MESSAGE_QUEUE to run a single process.")


def ping(url: str, client=None) -> str | None:
    """None when the queue answers a PING, else what went wrong, in a few words."""
    import redis

    try:
        client = client or redis.Redis.from_url(
            url, socket_connect_timeout=ANSWER_TIMEOUT, socket_timeout=ANSWER_TIMEOUT)
        client.ping()
    except (redis.RedisError, OSError) as error:
        return str(error).strip() or type(error).__name__
    return None


class WatchedRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager, told whether the queue answers.

    `reachable` is False from the first failed publication or ping until a ping succeeds
    (`watch()`, each second from board/beat.py); meanwhile publications are dropped at once,
    as python-socketio would drop them after retrying, but without holding up the moderator's
    acknowledgement: the pages heal from the sequence numbers (board/sequence.py).
    `answering` also needs this process subscribed: having lost its subscription, it hears
    nothing from the others until it subscribes again. `resubscribed` counts those returns:
    the beat then asks this process's pages to check what they hold.
    """

    def __init__(self, url: str, channel: str = "flask-socketio"):
        super().__init__(url, channel=channel,
                         redis_options={"socket_connect_timeout": ANSWER_TIMEOUT})
        self.reachable = True
        self.problem: str | None = None
        self.resubscribed = 0
        # None until the listener first subscribes (python-socketio starts it with the first
        # connection), then whether it is subscribed.
        self.subscribed: bool | None = None
        self._pinger = None

    @property
    def answering(self) -> bool:
        return self.reachable and self.subscribed is not False

    def watch(self) -> bool:
        """Ping the queue; True when it answers and this process listens to it."""
        if self._pinger is None:
            import redis

            self._pinger = redis.Redis.from_url(
                self.redis_url, socket_connect_timeout=ANSWER_TIMEOUT,
                socket_timeout=ANSWER_TIMEOUT)
        self._record(ping(self.redis_url, self._pinger))
        if self.reachable and self.subscribed is False:
            self.problem = "not subscribed again yet"
        return self.answering

    def _record(self, problem: str | None) -> None:
        if problem and self.reachable:
            log.error("message queue %s unreachable: %s", shown(self.redis_url), problem)
        elif not problem and not self.reachable:
            log.warning("message queue %s answers again", shown(self.redis_url))
        self.reachable, self.problem = problem is None, problem

    def _publish(self, data):
        if not self.reachable:
            return None  # lost, as python-socketio would lose it, but at once
        delivered = super()._publish(data)
        if delivered is None:
            self._record("publication failed")
        return delivered

    def _redis_listen_with_retries(self):
        # python-socketio's loop, with a short fixed pause between attempts instead of one
        # that doubles up to 60 s: a process must hear the others again as soon as Redis does.
        subscribed, failed = False, False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = self.subscribed = True
                    if failed:
                        self.resubscribed += 1
                        failed = False
                yield from self.pubsub.listen()
            except Exception as error:  # noqa: BLE001 - any failure means: subscribe again
                if not failed:
                    log.error("message queue: cannot receive (%s), subscribing again",
                              str(error).strip() or type(error).__name__)
                subscribed, failed, self.subscribed = False, True, False
                time.sleep(RESUBSCRIBE_EVERY)


def client_manager(url: str) -> WatchedRedisManager:
    return WatchedRedisManager(url)


def answering(manager) -> bool:
    """Whether the queue answered at its last ping or publication (True without a queue)."""
    return getattr(manager, "answering", True)
