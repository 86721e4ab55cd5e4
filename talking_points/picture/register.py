"""The transparency register's summary: counts, the total budget and the newest lines."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When, Window

from partnerships.models import (
    Commission,
)


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
