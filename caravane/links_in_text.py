"""Web addresses in plain text made into safe links, for display: everything else escaped.

A moderator's written answer is plain text; the addresses in it (http and https only) become
links that carry no referrer and no endorsement, and nothing else in the text can become
markup. Any other scheme (javascript:, data:, mailto:…) stays as the text it was.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# An address ends at a space, or at a character that cannot be in one written in prose.
_ADDRESS = re.compile(r"\bhttps?://[^\s<>\"'«»`]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address: « voir https://x.org/a. »
_TRAILING = ".,;:!?…’”"
LINK_REL = "nofollow noopener noreferrer ugc"


def linkify(text: str | None) -> Markup:
    """`text` escaped, with its http(s) addresses as `<a rel="nofollow noopener noreferrer
    ugc">`. Stored text is never changed: this is for display only."""
    if not text:
        return Markup("")
    parts: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        address = _trimmed(match.group(0))
        if "://" not in address or address.endswith("://"):
            continue
        start, end = match.start(), match.start() + len(address)
        parts.append(escape(text[last:start]))
        parts.append(Markup('<a href="{0}" rel="{1}">{0}</a>').format(address, LINK_REL))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _trimmed(address: str) -> str:
    """Without the punctuation that closes the sentence or a parenthesis around the address
    (a closing parenthesis the address itself opened stays: Wikipedia's addresses)."""
    while address and (address[-1] in _TRAILING or (
            address[-1] == ")" and address.count(")") > address.count("("))):
        address = address[:-1]
    return address


def init_links_in_text(app) -> None:
    """`{{ text|linkify }}` in templates."""
    app.jinja_env.filters["linkify"] = linkify
