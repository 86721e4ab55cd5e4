"""The panels office hours and visits add to other apps' pages (see hls_forum/slots.py):
the commissioner's profile and the place picture. A constant number of queries each."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncQuarter

from ..models import Booking, OfficeHourSlot, Visit, VisitStatus, may_book

register = template.Library()

QUARTERS_SHOWN = 8
MONTHS = ["January", "April", "July", "October"]
ENDS = ["March", "June", "September", "December"]


@register.simple_tag(takes_context=True)
def office_hours(context: Any, profile: Any) -> dict[str, Any]:
    """Upcoming slots of ``profile`` that the reader may see, a page at a time
    (``?slots=2``), with whether each is booked and whether the reader may book."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"visible": False}
    slots = (
        OfficeHourSlot.objects.visible_to(user)
        .filter(commissioner=profile)
        .upcoming()
        .annotate(is_booked=Exists(Booking.objects.live().filter(slot=OuterRef("pk"))))
        .order_by("starts_at", "pk")
    )
    page = Paginator(slots, settings.PAGE_SIZE).get_page(request.GET.get("slots"))
    is_owner = profile.user_id == user.pk
    return {
        "visible": is_owner or bool(page.object_list),
        "page": page,
        "is_owner": is_owner,
        "can_book": not is_owner and bool(page.object_list) and may_book(user, profile),
    }


def quarter_label(start: datetime.date) -> str:
    index = (start.month - 1) // 3
    return f"{MONTHS[index]} to {ENDS[index]} {start.year}"


@register.simple_tag
def visits_by_quarter(place: Any) -> list[dict[str, Any]]:
    """Agreed visits to the place's organisations by commissioners and funders, counted by
    quarter of the visit's date, newest first: one aggregate query. Numbers only, so the
    count is shown to everyone who sees the place picture."""
    rows = (
        Visit.objects.filter(place=place, status=VisitStatus.ACCEPTED)
        .annotate(quarter=TruncQuarter("visit_date"))
        .values("quarter")
        .annotate(visits=Count("pk"))
        .order_by("-quarter")[:QUARTERS_SHOWN]
    )
    return [{"label": quarter_label(row["quarter"]), "visits": row["visits"]} for row in rows]
