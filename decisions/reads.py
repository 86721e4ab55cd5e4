"""What the session pages and the round page show of rounds: a fixed number of queries
however many rounds, positions and dots a session has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from talking_points.models import Session

from .models import Position, Round, TakingPart
from .services import Tally, tally


@dataclass
class RoundView:
    round: Round
    tally: Tally
    # The viewer is at the table and has not yet given a position on this version.
    can_take_part: bool
    has_taken_part: bool
    # Anonymous rounds show only how many have answered until they end, so nobody can tell
    # whose position arrived by watching the counts move.
    show_counts: bool


def prefetch_rounds(rounds: list[Round]) -> None:
    prefetch_related_objects(
        rounds,
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("attendance").prefetch_related("dots"),
        ),
        "options",
        Prefetch("taking_part", queryset=TakingPart.objects.select_related("attendance")),
    )


def round_views(rounds: list[Round], user: Any, my_attendance_id: int | None) -> list[RoundView]:
    prefetch_rounds(rounds)
    views = []
    for r in rounds:
        taken = any(
            part.attendance_id == my_attendance_id and part.version == r.version
            for part in r.taking_part.all()
        )
        views.append(
            RoundView(
                round=r,
                tally=tally(r),
                can_take_part=r.is_open and my_attendance_id is not None and not taken,
                has_taken_part=taken,
                show_counts=not (r.anonymous and r.is_open),
            )
        )
    return views


def session_rounds(session: Session, user: Any) -> list[RoundView]:
    """The rounds of a session ``user`` may read, oldest first, with their tallies."""
    rounds = list(
        Round.objects.visible_to(user).filter(session_id=session.pk).select_related("decision")
    )
    if not rounds:
        return []
    mine = None
    if user.is_authenticated:
        mine = session.attendances.filter(user=user).values_list("pk", flat=True).first()
    return round_views(rounds, user, mine)
