"""The place's "What we keep" page (one section per record) and talking point 6's trend."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from partnerships.types import AuthenticatedRequest
from talking_points.models import Session

from .. import permissions, trend
from ..kinds import KINDS
from ..models import AgreementVersion, ControlItem, Fear, PlaceAsset, Ring, Signal
from ..slots import RECORD_OF_POINT
from .common import csv_response

FIRST = 5  # rows of each record shown on the overview


@login_required
@require_GET
def keep(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Every record of the place, each in a few lines, with a link to the whole of it.
    A fixed number of queries, whatever the records hold."""
    user = request.user
    place = permissions.get_place_or_404(user, slug)

    def first(model: Any) -> tuple[list[Any], int]:
        rows = model.objects.visible_to(user).filter(place=place)
        return list(rows[:FIRST]), rows.count()

    rings = dict(
        ControlItem.objects.visible_to(user)
        .filter(place=place)
        .order_by()
        .values_list("ring")
        .annotate(n=Count("pk"))
    )
    current = (
        AgreementVersion.objects.visible_to(user)
        .filter(place=place)
        .annotate(signed=Count("signatures"))
        .order_by("-number")
        .first()
    )
    sessions = trend.session_shares(place, user)
    fears = (
        Fear.objects.visible_to(user)
        .filter(place=place)
        .annotate(last_reviewed=Max("reviews__reviewed_on"))
        .order_by("text", "pk")
    )
    context = {
        "place": place,
        "section": "keep",
        "kinds": KINDS,
        "assets": first(PlaceAsset),
        "rings": [(label, rings.get(value, 0)) for value, label in Ring.choices],
        "latest_session": sessions[-1] if sessions else None,
        "min_people": trend.MIN_PEOPLE,
        "signals": first(Signal),
        "agreement": current,
        "fears": (list(fears[:FIRST]), fears.count()),
        "can_edit": permissions.can_edit(user, place),
    }
    return render(request, "records/keep.html", context)


@login_required
@require_GET
def vcs_trend(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Talking point 6: the VCS share of the people at the table, computed from attendance.
    Two queries for the data, however many sessions and decisions there are."""
    place = permissions.get_place_or_404(request.user, slug)
    sessions = trend.session_shares(place, request.user)
    decisions = trend.decision_shares(place, request.user)
    context = {
        "place": place,
        "section": "keep",
        "sessions": sessions,
        "decisions": decisions,
        "session_chart": trend.chart("VCS share of the people at each session", sessions),
        "decision_chart": trend.chart("VCS share of the people at each decision", decisions),
        "min_people": trend.MIN_PEOPLE,
        "limit": trend.LIMIT,
    }
    return render(request, "records/vcs_trend.html", context)


@login_required
@require_GET
def vcs_trend_csv(request: AuthenticatedRequest, slug: str) -> Any:
    place = permissions.get_place_or_404(request.user, slug)
    rows = [("session", s) for s in trend.session_shares(place, request.user)]
    rows += [("decision", d) for d in trend.decision_shares(place, request.user)]
    return csv_response(
        f"{place.slug}-vcs-at-the-table.csv",
        ["kind", "what", "when", "people at the table", "VCS people", "VCS share (%)"],
        ([what, s.label, s.when.date(), s.at_table, s.shown_vcs, s.percent] for what, s in rows),
    )


@login_required
@require_GET
def from_session(request: AuthenticatedRequest, pk: int, number: str) -> HttpResponse:
    """From a session's talking point to the record it keeps (the live page links here, so
    it needs nothing but the session's id and the point's number)."""
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("forum__place"), pk=pk
    )
    if number not in RECORD_OF_POINT:
        raise Http404("This talking point keeps no record.")
    return redirect(RECORD_OF_POINT[number][0], slug=session.forum.place.slug)
