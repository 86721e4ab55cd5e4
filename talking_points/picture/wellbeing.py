"""How people arrived at a forum's sessions, session by session."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Window

from partnerships.models import MIN_AGGREGATE, Forum
from talking_points.models import Session, SessionStatus, WellbeingCheckIn
from talking_points.picture.charts import LineChart, line_chart


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
