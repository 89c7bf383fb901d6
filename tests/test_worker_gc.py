"""The worker's full garbage collections come on a clock, not when Python decides (a full pass
held 5,000 phones for up to half a second: docs/deploy.md, Fan-out)."""

from __future__ import annotations

import gc

import gevent

from caravane.transport import worker


def test_full_collections_come_on_the_clock_and_never_by_count(monkeypatch):
    passes: list[tuple] = []
    monkeypatch.setattr(worker.gc, "collect", lambda *args: passes.append(args))
    before = gc.get_threshold()
    try:
        clock = worker._full_collections_on_a_clock(0.05)
        young, middle, oldest = gc.get_threshold()
        assert (young, middle) == before[:2] and oldest == worker.NEVER_BY_COUNT
        gevent.sleep(0.23)
        clock.kill()
        assert 3 <= len(passes) <= 5
        assert all(args == () for args in passes)  # each a full pass
    finally:
        gc.set_threshold(*before)
