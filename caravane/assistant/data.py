"""Read the plain-text data files of lexicons/ (one entry a line, `#` comments)."""

from __future__ import annotations

from pathlib import Path

LEXICONS = Path(__file__).with_name("lexicons")


def data_lines(name: str) -> list[str]:
    """The entries of lexicons/<name>: lines without comments (`#` first, or after a tab)."""
    lines = []
    for raw in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("\t#", 1)[0].rstrip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines
