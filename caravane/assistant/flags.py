"""The values the moderation assistant hands back: a Flag per finding, an Analysis per question."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """How urgently a moderator should look; the console sorts flags and questions by it.

    Plain ints once stored (JSON): 4 is the most urgent. A threat or a person's data on the
    projector can harm someone in the room or outside it; abuse hurts but names no target's
    whereabouts; spam wastes time; a duplicate is only a suggestion.
    """

    DUPLICATE = 1
    SPAM = 2
    ABUSE = 3
    DANGER = 4


# code -> closed set of reasons, most serious first; the app localizes messages from these.
REASONS: dict[str, tuple[str, ...]] = {
    "abuse": ("threat", "dehumanising", "slur", "insult"),
    "personal_data": (
        "phone", "email", "address", "plate", "police_id", "private_person", "handle", "profile",
    ),
    "spam": (
        "link", "advertising", "repeated_words", "keyboard_mash", "repeated_chars", "shouting",
        "repeated_text", "not_a_question",
    ),
    "duplicate": ("similar",),
}
CODES: tuple[str, ...] = tuple(REASONS)

CODE_SEVERITY = {
    "abuse": Severity.ABUSE,
    "personal_data": Severity.DANGER,
    "spam": Severity.SPAM,
    "duplicate": Severity.DUPLICATE,
}
# Reasons more serious than their code.
REASON_SEVERITY = {"threat": Severity.DANGER}

EVIDENCE_MAX = 60


def severity_of(code: str, reason: str) -> int:
    """The severity of a (code, reason) pair, as a plain int (1 duplicate … 4 danger)."""
    return int(REASON_SEVERITY.get(reason, CODE_SEVERITY.get(code, Severity.SPAM)))


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str
    evidence: str = ""
    of: int | None = None
    score: int | None = None
    severity: int = field(default=0)

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", severity_of(self.code, self.reason))


@dataclass(frozen=True)
class Analysis:
    language: str
    flags: tuple[Flag, ...]

    @property
    def severity(self) -> int:
        """The highest severity of the flags, 0 without any."""
        return max((flag.severity for flag in self.flags), default=0)


def clip(evidence: str) -> str:
    """Shorten evidence to what a moderator can read at a glance."""
    evidence = " ".join(evidence.split())
    if len(evidence) <= EVIDENCE_MAX:
        return evidence
    return evidence[: EVIDENCE_MAX - 1] + "…"
