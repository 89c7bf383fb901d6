"""Measure the assistant on a labelled corpus: precision, recall and their confidence intervals.

Shared by the tests (regression guards) and bench/assistant_quality.py (the printed report).
Corpora are read by corpus.py. Each question is analysed against a board made of the questions
before it, as on a live stop.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from . import analyze
from .corpus import Row
from .flags import Analysis

CONTENT_CODES = ("abuse", "personal_data", "spam")


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (95 % by default); (0, 1) when total is 0."""
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def precision_ci(self) -> tuple[float, float]:
        return wilson(self.tp, self.tp + self.fp)

    def recall_ci(self) -> tuple[float, float]:
        return wilson(self.tp, self.tp + self.fn)


@dataclass
class Report:
    codes: dict[str, Counts]
    pairs: int = 0  # questions labelled as repeating an earlier one
    pairs_found: int = 0  # ... whose suggestions include that earlier question
    suggestions: int = 0  # duplicate flags given
    suggestions_right: int = 0  # ... pointing at a question the same as this one
    close_pairs: int = 0  # questions close to, but different from, an earlier one
    close_merged: int = 0  # ... flagged as a duplicate of it
    plain: int = 0  # harmless questions of kind "plain"
    plain_flagged: int = 0  # ... with any flag
    harmless: int = 0  # all questions labelled none (plain and tricky)
    harmless_flagged: int = 0  # ... with any flag but a duplicate
    # "code/kind" of the labelled rows (or "none/plain", "none/tricky") -> [flagged as
    # labelled, count]: for a harmless row, flagged means any flag but a duplicate
    kinds: dict[str, list[int]] = field(default_factory=dict)
    missed_pairs: list[str] = field(default_factory=list)
    wrong_suggestions: list[str] = field(default_factory=list)
    harmless_flags: list[str] = field(default_factory=list)

    @property
    def pairs_found_share(self) -> float:
        return self.pairs_found / self.pairs if self.pairs else 1.0

    @property
    def suggestions_right_share(self) -> float:
        return self.suggestions_right / self.suggestions if self.suggestions else 1.0

    @property
    def plain_flagged_share(self) -> float:
        return self.plain_flagged / self.plain if self.plain else 0.0

    @property
    def harmless_flagged_share(self) -> float:
        return self.harmless_flagged / self.harmless if self.harmless else 0.0


def _clusters(rows: list[Row]) -> dict[int, int]:
    """Question id -> id of the first question it repeats (transitively), itself if none."""
    root: dict[int, int] = {}
    for row in rows:
        root[row.id] = root.get(row.dup_of, row.dup_of) if row.dup_of is not None else row.id
    return root


def _describe(row: Row, analysis: Analysis, code: str | None = None) -> str:
    flags = [f"{f.code}/{f.reason}:{f.evidence or f.of}" for f in analysis.flags
             if code is None or f.code == code]
    return f"{row.id} [{row.kind}] {row.text}  {flags}"


def measure(
    rows: list[Row], analyzer: Callable[..., Analysis] = analyze, *, keep_lines: bool = True
) -> Report:
    """Analyse every row against the rows before it; keep_lines=False keeps no question text
    (for a held-out corpus whose questions must not be read)."""
    report = Report({code: Counts() for code in CONTENT_CODES})
    root = _clusters(rows)
    board: list[tuple[int, str]] = []
    for row in rows:
        analysis = analyzer(row.text, board=board)
        board.append((row.id, row.text))
        found = {flag.code for flag in analysis.flags}
        expected = row.labels & set(CONTENT_CODES)
        kind = f"{'+'.join(sorted(expected)) or 'none'}/{row.kind or '-'}"
        tally = report.kinds.setdefault(kind, [0, 0])
        tally[1] += 1
        tally[0] += expected <= found if expected else bool(found - {"duplicate"})
        for code in CONTENT_CODES:
            counts = report.codes[code]
            expected, got = code in row.labels, code in found
            if expected and got:
                counts.tp += 1
            elif expected:
                counts.fn += 1
                if keep_lines:
                    counts.misses.append(_describe(row, analysis))
            elif got:
                counts.fp += 1
                if keep_lines:
                    counts.false_alarms.append(_describe(row, analysis, code))
        suggested = [flag.of for flag in analysis.flags if flag.code == "duplicate"]
        report.suggestions += len(suggested)
        right = [of for of in suggested if of in root and root[of] == root[row.id]]
        report.suggestions_right += len(right)
        if keep_lines and len(right) < len(suggested):
            report.wrong_suggestions.append(_describe(row, analysis, "duplicate"))
        if row.dup_of is not None:
            report.pairs += 1
            if row.dup_of in suggested or any(root.get(of) == root[row.id] for of in suggested):
                report.pairs_found += 1
            elif keep_lines:
                report.missed_pairs.append(f"{_describe(row, analysis)} dup_of={row.dup_of}")
        if row.close_to is not None:
            report.close_pairs += 1
            report.close_merged += row.close_to in suggested
        if not row.labels:
            content_flags = [f for f in analysis.flags if f.code != "duplicate"]
            report.harmless += 1
            report.harmless_flagged += bool(content_flags)
            if row.kind in ("plain", ""):
                report.plain += 1
                report.plain_flagged += bool(analysis.flags)
            if content_flags and keep_lines:
                report.harmless_flags.append(_describe(row, analysis))
    return report


def merge(reports: list[Report]) -> Report:
    """The figures of several corpora pooled (counts summed; no question text kept)."""
    pooled = Report({code: Counts() for code in CONTENT_CODES})
    for report in reports:
        for code, counts in report.codes.items():
            pooled.codes[code].tp += counts.tp
            pooled.codes[code].fp += counts.fp
            pooled.codes[code].fn += counts.fn
        for name in ("pairs", "pairs_found", "suggestions", "suggestions_right", "close_pairs",
                     "close_merged", "plain", "plain_flagged", "harmless", "harmless_flagged"):
            setattr(pooled, name, getattr(pooled, name) + getattr(report, name))
        for kind, (flagged, count) in report.kinds.items():
            tally = pooled.kinds.setdefault(kind, [0, 0])
            tally[0] += flagged
            tally[1] += count
    return pooled


def format_kinds(report: Report) -> str:
    """Per kind of labelled question: how many got the flag they are labelled with (for a
    harmless kind: how many got any flag but a duplicate). Aggregates only."""
    out = ["kind                               flagged/count"]
    for kind, (flagged, count) in sorted(report.kinds.items()):
        out.append(f"{kind:<34} {flagged:>4}/{count:<4} {flagged / count:.2f}")
    return "\n".join(out)


def _interval(low_high: tuple[float, float]) -> str:
    return f"[{low_high[0]:.2f}, {low_high[1]:.2f}]"


def format_report(report: Report, *, lines: bool = False) -> str:
    """The figures as a table; with lines=True also every miss and false alarm."""
    out = ["code            precision [95% CI]      recall [95% CI]        tp   fp   fn"]
    for code, c in report.codes.items():
        out.append(
            f"{code:<15} {c.precision:.3f} {_interval(c.precision_ci())}  "
            f"{c.recall:.3f} {_interval(c.recall_ci())}  {c.tp:>4} {c.fp:>4} {c.fn:>4}"
        )
    out.append(
        f"duplicate pairs found: {report.pairs_found}/{report.pairs} = "
        f"{report.pairs_found_share:.3f} {_interval(wilson(report.pairs_found, report.pairs))}"
    )
    out.append(
        f"duplicate suggestions right: {report.suggestions_right}/{report.suggestions} = "
        f"{report.suggestions_right_share:.3f} "
        f"{_interval(wilson(report.suggestions_right, report.suggestions))}"
    )
    out.append(f"close-but-different pairs wrongly merged: {report.close_merged}/"
               f"{report.close_pairs}")
    out.append(
        f"plain questions with any flag: {report.plain_flagged}/{report.plain} = "
        f"{report.plain_flagged_share:.3f} {_interval(wilson(report.plain_flagged, report.plain))}"
    )
    out.append(
        f"harmless questions (plain and tricky) with a non-duplicate flag: "
        f"{report.harmless_flagged}/{report.harmless} = {report.harmless_flagged_share:.3f}"
    )
    if lines:
        for code, c in report.codes.items():
            out.extend(f"  missed {code}: {line}" for line in c.misses)
            out.extend(f"  false {code}: {line}" for line in c.false_alarms)
        out.extend(f"  missed pair: {line}" for line in report.missed_pairs)
        out.extend(f"  wrong suggestion: {line}" for line in report.wrong_suggestions)
        out.extend(f"  harmless flagged: {line}" for line in report.harmless_flags)
    return "\n".join(out)
