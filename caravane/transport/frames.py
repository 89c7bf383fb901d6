"""JSON for Socket.IO frames: orjson, and a value many frames share encoded once.

python-socketio encodes each frame for its one socket with the standard json module, after
walking the whole value in search of binary data. When 1,000 phones rejoined a board of 300
questions at once, those two took 43 % of the server's time (profile in docs/deploy.md,
Reconnect herd), for the same 300 questions each time. Here frames are encoded by orjson, and
the room's view of a board, the same object for every phone until the next change
(board/snapshots.py), is encoded once into a fragment that each frame copies as it is (and
that the search for binary data does not enter).
"""

from __future__ import annotations

import json

import orjson

# Values shared by many frames, kept encoded: a few stops' views, each until it is replaced.
KEEP = 16


class SocketJSON:
    """The `json` that python-socketio and engine.io are given: orjson, returning the str they
    expect. Keys that are not strings are written as strings, as the json module does; what
    orjson refuses (an integer beyond 64 bits, NaN) is left to the json module, so that
    clients get the answers they got before."""

    @staticmethod
    def dumps(value: object, **options) -> str:
        try:
            return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
        except orjson.JSONEncodeError:
            return json.dumps(value, **options)

    @staticmethod
    def loads(text: str | bytes) -> object:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            return json.loads(text)  # NaN and Infinity, which the json module accepts


_encoded: dict[int, tuple[object, orjson.Fragment]] = {}


def encoded_once(value: object) -> orjson.Fragment:
    """`value`, encoded the first time this very object is sent and reused after. The value
    must not change once sent (the room's views never do: a change builds a new one); the
    reference kept here keeps its id from being reused by another object."""
    hit = _encoded.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    fragment = orjson.Fragment(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))
    if len(_encoded) >= KEEP:
        _encoded.pop(next(iter(_encoded)))
    _encoded[id(value)] = (value, fragment)
    return fragment
