"""The propositions check: each proposition's ratings by quarter, and a person's own.

A quarter's aggregate is shown once the quarter has ended and at least ``MIN_AGGREGATE``
people rated.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from partnerships.models import (
    MIN_AGGREGATE,
    PROPOSITION_SECTIONS,
    Place,
    Proposition,
    PropositionRating,
    add_quarters,
    quarter_start,
)
from talking_points.picture.charts import BarChart, LineChart, bar_chart, line_chart


def quarter_label(start: datetime.date) -> str:
    return f"{start:%b}–{add_quarters(start, 1) - datetime.timedelta(days=1):%b %Y}"


def quarter_short(start: datetime.date) -> str:
    return f"Q{(start.month - 1) // 3 + 1} {start:%y}"


@dataclass
class QuarterResult:
    quarter: datetime.date
    shown: bool
    count: int | None = None  # None when fewer than MIN_AGGREGATE rated
    mean: float | None = None
    distribution: list[int] = field(default_factory=list)  # counts of 1..5

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def short(self) -> str:
        return quarter_short(self.quarter)


@dataclass
class PropositionSummary:
    code: str
    text: str
    section: str
    quarters: list[QuarterResult]
    comments: list[str]
    own_score: int | None = None
    distribution_chart: BarChart | None = None
    trend_chart: LineChart | None = None

    @property
    def latest(self) -> QuarterResult | None:
        return next((q for q in reversed(self.quarters) if q.shown), None)


def proposition_summaries(
    place: Place, *, today: datetime.date, quarters: int = 6, comments: bool = True
) -> list[PropositionSummary]:
    """Per proposition: the last ``quarters`` ended quarters, aggregated where at least
    ``MIN_AGGREGATE`` people rated. Two queries, whatever the number of ratings; one with
    ``comments=False`` (the dashboard shows no comments)."""
    current = quarter_start(today)
    first = add_quarters(current, -quarters)
    window = [add_quarters(first, i) for i in range(quarters)]
    counts: dict[tuple[str, datetime.date], list[int]] = defaultdict(lambda: [0] * 5)
    rows = (
        PropositionRating.objects.filter(place=place, quarter__gte=first, quarter__lt=current)
        .values("proposition", "quarter", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[(row["proposition"], row["quarter"])][row["score"] - 1] = row["n"]

    summaries = []
    shown_cells: set[tuple[str, datetime.date]] = set()
    for code, text in Proposition.choices:
        results = []
        for q in window:
            dist = counts.get((code, q), [0] * 5)
            total = sum(dist)
            if total >= MIN_AGGREGATE:
                mean = sum((i + 1) * c for i, c in enumerate(dist)) / total
                results.append(QuarterResult(q, True, total, round(mean, 2), dist))
                shown_cells.add((code, q))
            else:
                results.append(QuarterResult(q, False))
        summaries.append(
            PropositionSummary(
                code=code,
                text=text,
                section=PROPOSITION_SECTIONS[code[0]],
                quarters=results,
                comments=[],
            )
        )

    # Comments only from the latest shown quarter of each proposition, unsigned, in
    # alphabetical order (never in the order they were written).
    latest = {s.code: s.latest.quarter for s in summaries if s.latest}
    if latest and comments:
        comment_q = Q()
        for code, q in latest.items():
            comment_q |= Q(proposition=code, quarter=q)
        written = (
            PropositionRating.objects.filter(place=place)
            .filter(comment_q)
            .exclude(comment="")
            .order_by("comment")
            .values_list("proposition", "comment")
        )
        by_code: dict[str, list[str]] = defaultdict(list)
        for code, comment in written:
            by_code[code].append(comment)
        for summary in summaries:
            summary.comments = by_code.get(summary.code, [])

    for summary in summaries:
        latest_result = summary.latest
        if latest_result is not None:
            summary.distribution_chart = bar_chart(
                f"{summary.code}: how {latest_result.count} people rated it, {latest_result.label}",
                ", ".join(f"{c} rated it {i + 1}" for i, c in enumerate(latest_result.distribution))
                + ".",
                [(str(i + 1), c) for i, c in enumerate(latest_result.distribution)],
            )
        shown = [q for q in summary.quarters if q.shown]
        if shown:
            summary.trend_chart = line_chart(
                f"{summary.code}: average rating by quarter",
                "; ".join(
                    f"{q.label}: "
                    + (f"{q.mean:.1f} from {q.count} people" if q.shown else "not enough ratings")
                    for q in summary.quarters
                )
                + ".",
                [(q.short, q.mean) for q in summary.quarters],
            )
    return summaries


def own_ratings(place: Place, user: Any, *, today: datetime.date) -> dict[str, PropositionRating]:
    """``user``'s own ratings for the current quarter, keyed by proposition."""
    if not user.is_authenticated:
        return {}
    return {
        r.proposition: r
        for r in PropositionRating.objects.filter(
            place=place, user=user, quarter=quarter_start(today)
        )
    }
