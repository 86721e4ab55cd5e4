"""What decisions hold about a person, plugged into the privacy registries.

Named positions hang off the person's attendance (whose name talking points replaces on
erasure); anonymous positions hold nothing that leads to anyone, so they are in nobody's
copy. Reviews a person recorded lose the link to them when the account goes (SET_NULL).
"""

from __future__ import annotations

from typing import Any

from privacy import registry

from .models import LookBack, Position

Row = dict[str, Any]


def export_positions(user: Any) -> list[Row]:
    """Positions the person gave under their name."""
    positions = Position.objects.filter(attendance__user=user, is_anonymous=False).select_related(
        "round__session__forum"
    )
    return [
        {
            "forum": p.round.session.forum.name,
            "session_starts_at": p.round.session.starts_at,
            "proposal": p.round.proposal,
            "method": p.round.get_method_display(),
            "position": p.get_stance_display() or "Dots",
            "reason": p.reason,
            "objection_withdrawn": p.withdrawn,
        }
        for p in positions.order_by("round_id").iterator()
    ]


def export_look_backs(user: Any) -> list[Row]:
    """Reviews of decisions and experiments the person recorded."""
    return [
        {"recorded_at": lb.recorded_at, "what_we_learned": lb.learned}
        for lb in LookBack.objects.filter(recorded_by=user).order_by("recorded_at").iterator()
    ]


def register() -> None:
    registry.register_export_section(
        "decision_positions",
        export_positions,
        description="Positions you gave under your name when a session decided something.",
    )
    registry.register_export_section(
        "decision_reviews",
        export_look_backs,
        description="What you recorded when a decision or experiment was looked at again.",
    )
