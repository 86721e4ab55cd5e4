"""Reads for the place picture: aggregates, charts and the system map's data.

Every aggregate here covers at least ``MIN_AGGREGATE`` people, or it is not returned at
all. Aggregates that are still filling up (the current quarter's ratings, a session not yet
closed) are not shown either: watching a number change as one more person answers would
reveal that person's answer.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)

from partnerships.models import (
    MIN_AGGREGATE,
    PROPOSITION_SECTIONS,
    Commission,
    Forum,
    Organisation,
    Place,
    Proposition,
    PropositionRating,
    Relationship,
    RelationshipKind,
    Sector,
    add_quarters,
    quarter_start,
)

from talking_points.models import Action, ActionStatus, Decision, Session, SessionStatus, WellbeingCheckIn

# --- Quarters --------------------------------------------------------------------------


def quarter_label(start: datetime.date) -> str:
    return f"{start:%b}–{add_quarters(start, 1) - datetime.timedelta(days=1):%b %Y}"


def quarter_short(start: datetime.date) -> str:
    return f"Q{(start.month - 1) // 3 + 1} {start:%y}"


# --- Charts (server-rendered SVG; the template draws what these compute) ----------------


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float

    @property
    def value_y(self) -> float:
        return self.y - 4


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = 260
    height: int = 150
    baseline: float = 120.0

    @property
    def label_y(self) -> float:
        return self.baseline + 16


def bar_chart(title: str, description: str, values: list[tuple[str, int]]) -> BarChart:
    width, baseline, top = 260, 120.0, 18.0
    slot = width / max(1, len(values))
    peak = max((v for _, v in values), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(values):
        height = (baseline - top) * value / peak
        x = i * slot + slot * 0.2
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.6, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.3, 1),
            )
        )
    return BarChart(title=title, description=description, bars=bars)


@dataclass
class Point:
    label: str
    value: float | None
    x: float
    y: float | None


@dataclass
class LineChart:
    title: str
    description: str
    points: list[Point]
    polyline: str
    y_ticks: list[tuple[str, float, float]]  # label, y of the line, y of its text
    width: int = 300
    height: int = 160
    left: int = 30
    right: int = 270
    top: int = 12
    baseline: int = 130
    label_y: int = 148
    tick_x: int = 24


def line_chart(
    title: str,
    description: str,
    values: list[tuple[str, float | None]],
    y_min: float = 1,
    y_max: float = 5,
) -> LineChart:
    """A line through the values that exist; a missing value leaves a gap, never a zero."""
    left, right, top, baseline = 30, 270, 12, 130
    n = len(values)
    step = (right - left) / max(1, n - 1)

    def y_of(v: float) -> float:
        return round(baseline - (baseline - top) * (v - y_min) / (y_max - y_min), 1)

    points = [
        Point(
            label=label,
            value=None if value is None else round(value, 1),
            x=round(left + (i * step if n > 1 else (right - left) / 2), 1),
            y=None if value is None else y_of(value),
        )
        for i, (label, value) in enumerate(values)
    ]
    # Segments join neighbours only, so a gap stays a gap.
    segments = []
    for a, b in itertools.pairwise(points):
        if a.y is not None and b.y is not None:
            segments.append(f"M{a.x},{a.y} L{b.x},{b.y}")
    ticks = [(str(v), y_of(v), y_of(v) + 4) for v in range(int(y_min), int(y_max) + 1)]
    return LineChart(
        title=title,
        description=description,
        points=points,
        polyline=" ".join(segments),
        y_ticks=ticks,
    )


# --- Propositions check -----------------------------------------------------------------


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


# --- Wellbeing --------------------------------------------------------------------------


@dataclass
class SessionWellbeing:
    starts_at: datetime.datetime
    count: int
    mean: float
    words: list[tuple[str, int]]


@dataclass
class WellbeingTrend:
    forum: Forum
    sessions: list[SessionWellbeing]
    chart: LineChart | None


def wellbeing_trend(forum: Forum, *, limit: int = 12) -> WellbeingTrend:
    """The forum's wellbeing across its last ``limit`` closed sessions where at least
    ``MIN_AGGREGATE`` people checked in. Two queries."""
    return wellbeing_trends([forum], limit=limit)[0]


def wellbeing_trends(
    forums: list[Forum], *, limit: int = 12, words: bool = True
) -> list[WellbeingTrend]:
    """``wellbeing_trend`` for each of ``forums`` (in their order): two queries whatever
    the number of forums, one with ``words=False`` (the dashboard draws only the chart)."""
    from django.db.models.functions import RowNumber

    if not forums:
        return []
    sessions = list(
        Session.objects.filter(forum_id__in=[f.pk for f in forums], status=SessionStatus.CLOSED)
        .annotate(n=Count("wellbeing_check_ins"), mean=Avg("wellbeing_check_ins__score"))
        .filter(n__gte=MIN_AGGREGATE)
        .annotate(
            newest=Window(RowNumber(), partition_by=[F("forum_id")], order_by=F("starts_at").desc())
        )
        .filter(newest__lte=limit)
        .order_by("forum_id", "starts_at")
    )
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    if words and sessions:
        for row in (
            WellbeingCheckIn.objects.filter(session__in=[s.pk for s in sessions])
            .exclude(word="")
            .values("session_id", "word")
            .annotate(n=Count("id"))
            .order_by("session_id", "word")
        ):
            found[row["session_id"]].append((row["word"], row["n"]))
    by_forum: dict[int, list[SessionWellbeing]] = defaultdict(list)
    for s in sessions:
        by_forum[s.forum_id].append(
            SessionWellbeing(
                starts_at=s.starts_at,
                count=s.n,  # type: ignore[attr-defined]
                mean=round(float(s.mean), 1),  # type: ignore[attr-defined]
                words=found.get(s.pk, []),
            )
        )
    return [_trend(forum, by_forum.get(forum.pk, [])) for forum in forums]


def _trend(forum: Forum, results: list[SessionWellbeing]) -> WellbeingTrend:
    tz = forum.place.tz
    chart = None
    if results:
        chart = line_chart(
            f"How people arrived at {forum.name}, session by session",
            "; ".join(
                f"{r.starts_at.astimezone(tz):%-d %b}: {r.mean:.1f} from {r.count} people"
                for r in results
            )
            + ".",
            [(f"{r.starts_at.astimezone(tz):%-d %b}", r.mean) for r in results],
        )
    return WellbeingTrend(forum=forum, sessions=results, chart=chart)


# --- System map -------------------------------------------------------------------------

SECTOR_COLOURS = {
    Sector.VCS: "#00703c",
    Sector.STATUTORY: "#1d4f91",
    Sector.HEALTH: "#912b88",
    Sector.FUNDER: "#b35900",
    Sector.PRIVATE: "#505a5f",
    Sector.ACADEMIC: "#6f4e00",
}
KIND_DASHES = {
    RelationshipKind.FUNDS: "",
    RelationshipKind.COMMISSIONS: "8 4",
    RelationshipKind.REFERS_TO: "2 4",
    RelationshipKind.PARTNERS_WITH: "12 4 2 4",
}


@dataclass
class SystemMap:
    organisations: list[Organisation]
    relationships: list[Relationship]
    kinds: list[str]
    sectors: list[str]

    def as_data(self) -> dict[str, Any]:
        """What static/js/system-map.js draws."""
        return {
            "nodes": [
                {
                    "id": o.pk,
                    "name": o.name,
                    "sector": o.sector,
                    "sectorLabel": o.get_sector_display(),
                    "colour": SECTOR_COLOURS.get(Sector(o.sector), "#505a5f"),
                }
                for o in self.organisations
            ],
            "edges": [
                {
                    "source": r.source_id,
                    "target": r.target_id,
                    "kind": r.kind,
                    "kindLabel": r.get_kind_display(),
                    "dash": KIND_DASHES.get(RelationshipKind(r.kind), ""),
                }
                for r in self.relationships
            ],
            "kinds": [
                {"kind": k, "label": label, "dash": KIND_DASHES[RelationshipKind(k)]}
                for k, label in RelationshipKind.choices
            ],
            "sectors": [
                {"sector": s, "label": label, "colour": SECTOR_COLOURS[Sector(s)]}
                for s, label in Sector.choices
            ],
        }

    def summary(self) -> str:
        """One sentence for the picture's text alternative."""
        if not self.relationships:
            return f"The map shows {len(self.organisations)} organisations and no relationships."
        counts: dict[str, int] = defaultdict(int)
        for r in self.relationships:
            counts[r.get_kind_display()] += 1
        parts = ", ".join(f"{n} “{kind}”" for kind, n in sorted(counts.items()))
        return (
            f"The map shows {len(self.organisations)} organisations and "
            f"{len(self.relationships)} relationships ({parts}). The table below lists each one."
        )


def system_map(place: Place, *, kinds: list[str], sectors: list[str]) -> SystemMap:
    """The place's organisations and relationships, filtered by relationship kind and by
    sector (a relationship is kept when either end is in a chosen sector). Two queries."""
    relationships: QuerySet[Relationship] = Relationship.objects.filter(
        place=place, source__places=place, target__places=place
    ).select_related("source", "target", "created_by")
    if kinds:
        relationships = relationships.filter(kind__in=kinds)
    if sectors:
        relationships = relationships.filter(
            Q(source__sector__in=sectors) | Q(target__sector__in=sectors)
        )
    edge_list = list(relationships.distinct())
    organisations = place.organisations.order_by("name")
    if sectors:
        ends = {r.source_id for r in edge_list} | {r.target_id for r in edge_list}
        organisations = organisations.filter(Q(sector__in=sectors) | Q(pk__in=ends))
    return SystemMap(
        organisations=list(organisations),
        relationships=edge_list,
        kinds=kinds,
        sectors=sectors,
    )


# --- Transparency register ---------------------------------------------------------------


def register_summary(commissions: QuerySet[Commission], *, recent: int = 3) -> dict[str, Any]:
    """How many commissions, their total budget and how many were designed with people who
    use services or with VCS organisations, plus the ``recent`` newest: one query. The totals
    are window aggregates over every commission in ``commissions``, read off the first row."""
    one = Value(1, output_field=IntegerField())
    none = Value(0, output_field=IntegerField())
    rows = list(
        commissions.select_related("commissioner__user").annotate(
            register_count=Window(Count("id")),
            register_total=Window(Sum("budget")),
            register_with_people=Window(
                Sum(Case(When(designed_with_people_using_services=True, then=one), default=none))
            ),
            register_with_vcs=Window(
                Sum(Case(When(designed_with_vcs=True, then=one), default=none))
            ),
        )[:recent]
    )
    first: Any = rows[0] if rows else None
    return {
        "count": first.register_count if first else 0,
        "total": first.register_total if first else None,
        "with_people": first.register_with_people if first else 0,
        "with_vcs": first.register_with_vcs if first else 0,
        "recent": rows,
    }


# --- Decisions and actions --------------------------------------------------------------


def recent_decisions(place: Place, *, user: Any, limit: int = 5) -> list[Any]:
    """The newest decisions from the place's forum sessions that ``user`` may read (through
    ``Session.objects.visible_to``, the one session trust query). Two queries at most."""

    return list(
        Decision.objects.visible_to(user)
        .filter(session__forum__place=place)
        .select_related("session__forum")
        .order_by("-created_at", "-pk")[:limit]
    )


def open_actions(place: Place, *, user: Any, limit: int = 5) -> list[Any]:
    """Open actions from the place's forum sessions that ``user`` may read, soonest due
    first (undated last), through ``Session.objects.visible_to``."""

    return list(
        Action.objects.visible_to(user)
        .filter(session__forum__place=place, status=ActionStatus.OPEN)
        .select_related("session__forum")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )
