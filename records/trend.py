"""Talking point 6, "Is the VCS at the table?": the voluntary and community sector's share
of the people at the table, session by session and decision by decision.

Computed from attendance on every request and never stored. Each list is one query, however
many sessions or decisions there are, and reads only sessions and decisions the reader may
see (``Session.objects.visible_to``, ``Decision.objects.visible_to``). No share is given for
fewer than ``MIN_PEOPLE`` people, as elsewhere on the place picture.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from partnerships.models import Place, Sector
from talking_points.models import Decision, Session, SessionStatus

LIMIT = 12  # the latest sessions and decisions shown
MIN_PEOPLE = 3


@dataclass
class Share:
    label: str
    when: datetime.datetime
    at_table: int
    vcs: int
    url: str = ""

    @property
    def percent(self) -> int | None:
        if self.at_table < MIN_PEOPLE:
            return None
        return round(100 * self.vcs / self.at_table)

    @property
    def shown_vcs(self) -> int | None:
        """The VCS count, only where a share may be shown."""
        return None if self.percent is None else self.vcs


@dataclass
class Bar:
    label: str
    percent: int | None
    x: float
    y: float
    height: float
    width: float
    centre: float


@dataclass
class Chart:
    title: str
    description: str
    bars: list[Bar]
    width: int = 300
    height: int = 170
    top: int = 14
    baseline: int = 140

    @property
    def label_y(self) -> int:
        return self.baseline + 16

    @property
    def ticks(self) -> list[tuple[int, float]]:
        return [(p, self.baseline - (self.baseline - self.top) * p / 100) for p in (0, 50, 100)]


def chart(title: str, shares: list[Share]) -> Chart:
    """Bars of the VCS share (0 to 100 per cent), oldest first; a missing share (too few
    people) is a gap labelled as such in the description."""
    result = Chart(title=title, description="", bars=[])
    left, right = 34.0, float(result.width - 6)
    slot = (right - left) / max(1, len(shares))
    for i, share in enumerate(shares):
        percent = share.percent
        height = (result.baseline - result.top) * (percent or 0) / 100
        x = left + i * slot + slot * 0.15
        result.bars.append(
            Bar(
                label=share.when.strftime("%d/%m"),
                percent=percent,
                x=round(x, 1),
                y=round(result.baseline - height, 1),
                height=round(height, 1),
                width=round(slot * 0.7, 1),
                centre=round(x + slot * 0.35, 1),
            )
        )
    described = [
        f"{share.label}: {share.percent}%"
        if share.percent is not None
        else f"{share.label}: fewer than {MIN_PEOPLE} people"
        for share in shares
    ]
    result.description = "; ".join(described) or "Nothing to show yet."
    return result


def session_shares(place: Place, user: Any) -> list[Share]:
    """Sessions of the place's forums that have started, oldest first. One query."""
    vcs = Count("attendances", filter=Q(attendances__sector=Sector.VCS))
    rows = (
        Session.objects.visible_to(user)
        .filter(forum__place=place)
        .exclude(status=SessionStatus.PLANNED)
        .annotate(n=Count("attendances"), vcs=vcs)
        .order_by("-starts_at", "-pk")
        .values("pk", "starts_at", "forum__name", "n", "vcs")[:LIMIT]
    )
    return [
        Share(
            label=f"{row['forum__name']}, {row['starts_at']:%d %B %Y}",
            when=row["starts_at"],
            at_table=row["n"],
            vcs=row["vcs"],
        )
        for row in reversed(rows)
    ]


def decision_shares(place: Place, user: Any) -> list[Share]:
    """Decisions made in the place's forums, oldest first, with who was at the table when
    each was made. One query."""
    vcs = Count("at_the_table", filter=Q(at_the_table__sector=Sector.VCS))
    rows = (
        Decision.objects.visible_to(user)
        .filter(session__forum__place=place)
        .annotate(n=Count("at_the_table"), vcs=vcs)
        .order_by("-created_at", "-pk")
        .values("pk", "text", "created_at", "session_id", "n", "vcs")[:LIMIT]
    )
    return [
        Share(
            label=_short(row["text"]),
            when=row["created_at"],
            at_table=row["n"],
            vcs=row["vcs"],
            url=reverse("talking_points:session_detail", kwargs={"pk": row["session_id"]}),
        )
        for row in reversed(rows)
    ]


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
