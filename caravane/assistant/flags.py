"""The values the moderation assistant hands back: a Flag per finding, an Analysis per question."""

from __future__ import annotations

from dataclasses import dataclass

# code -> closed set of reasons; the app localizes messages from these pairs.
REASONS: dict[str, tuple[str, ...]] = {
    "abuse": ("insult", "slur", "threat"),
    "personal_data": ("phone", "email", "plate", "address", "person_name"),
    "spam": ("link", "repeated_chars", "shouting", "repeated_text", "not_a_question"),
    "duplicate": ("similar",),
}
CODES: tuple[str, ...] = tuple(REASONS)

EVIDENCE_MAX = 60


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str
    evidence: str = ""
    of: int | None = None
    score: int | None = None


@dataclass(frozen=True)
class Analysis:
    language: str
    flags: tuple[Flag, ...]


def clip(evidence: str) -> str:
    """Shorten evidence to what a moderator can read at a glance."""
    evidence = " ".join(evidence.split())
    if len(evidence) <= EVIDENCE_MAX:
        return evidence
    return evidence[: EVIDENCE_MAX - 1] + "…"
