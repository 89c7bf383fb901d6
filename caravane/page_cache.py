"""Pages that every visitor of a language sees alike (the tour, a stop): rendered once per
state, compressed once, and sent with an ETag so that browsers and a proxy revalidate (304)
instead of downloading again.

A page's state is what its words depend on, read by the view in one small query (the tour's
revision, a stop's board status, today's date…); with the path, the reader's language and this
build of the templates and catalogues it makes the ETag. Nothing is ever served after a change:
each request reads the state, in whichever process the change happened; the copies kept here are
only a shortcut to bytes already known for that ETag. Such pages set no cookie (docs/deploy.md,
Pages).
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, current_app, request, session
from flask_babel import get_locale

COPIES = 128  # (path, language, state) kept per process; least recently used first out
GZIP_LEVEL = 6


def build_token(app: Flask) -> str:
    """What this deployment's pages are made of: the templates and the compiled catalogues. A
    new version of either changes every ETag, even for a state that did not change."""
    digest = hashlib.sha256()
    folders = [Path(app.template_folder or "templates"),
               Path(app.root_path) / "translations"]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".mo"):
                digest.update(path.as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def init_page_cache(app: Flask) -> None:
    app.extensions["caravane.pages"] = {"build": build_token(app), "copies": OrderedDict()}


def cached_page(state: tuple, render: Callable[[], str]) -> Response:
    """The page for this request given its `state`, from the copies kept or rendered once."""
    if session.get("_flashes"):
        # A message waiting for this visitor belongs in this page only.
        return Response(render(), mimetype="text/html")
    pages = current_app.extensions["caravane.pages"]
    # The host too: without PUBLIC_URL, a page's share link is made from the name it was asked by.
    key = (request.host, request.path, request.query_string, str(get_locale()), *state)
    etag = hashlib.sha256(repr((pages["build"], key)).encode()).hexdigest()[:24]
    compressed = request.accept_encodings["gzip"] > 0
    tag = f"{etag}-gz" if compressed else etag
    if tag in request.if_none_match:
        return _cacheable(Response(status=304), tag)
    copies = pages["copies"]
    copy = copies.get(etag)
    if copy is None:
        html = render().encode()
        copy = copies[etag] = (html, gzip.compress(html, GZIP_LEVEL, mtime=0))
        while len(copies) > COPIES:
            copies.popitem(last=False)
    else:
        copies.move_to_end(etag)
    response = Response(copy[1] if compressed else copy[0], mimetype="text/html")
    if compressed:
        # Already compressed: Flask-Compress leaves a response with an encoding alone.
        response.headers["Content-Encoding"] = "gzip"
    return _cacheable(response, tag)


def _cacheable(response: Response, tag: str) -> Response:
    response.set_etag(tag)
    # Any cache may keep it, and must ask again each time (a 304 costs a fraction of a page).
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.vary.update(("Accept-Encoding", "Accept-Language", "Cookie"))
    return response
