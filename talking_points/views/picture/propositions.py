"""The propositions check: how the partnership rates itself each quarter.

Everything here works as plain links and form posts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from partnerships import permissions, services
from partnerships.forms import PropositionRatingForm
from partnerships.types import AuthenticatedRequest

from ... import picture
from .common import posted


@login_required
@require_http_methods(["GET", "POST"])
def propositions(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Appendix Two: forum members rate each proposition once a quarter; the partnership sees
    aggregates of at least three people, for quarters that have ended."""
    place = permissions.get_partnership_place_or_404(request.user, slug)
    today = timezone.localdate()
    can_rate = permissions.is_place_forum_member(request.user, place)
    own = picture.own_ratings(place, request.user, today=today)
    form = PropositionRatingForm(posted(request), already_rated=own, today=today)
    if request.method == "POST":
        permissions.require_place_forum_member(request.user, place)
        if form.is_valid():
            try:
                stored = services.propositions_rate(
                    place=place, user=request.user, ratings=form.ratings(), today=today
                )
            except services.PictureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Thank you. Your {len(stored)} rating{'s' if len(stored) != 1 else ''} "
                    "will count once the quarter ends.",
                )
                return redirect("talking_points:propositions", slug=place.slug)
    summaries = picture.proposition_summaries(place, today=today)
    for summary in summaries:
        if summary.code in own:
            summary.own_score = own[summary.code].score
    quarters = summaries[0].quarters if summaries else []
    context = {
        "place": place,
        "section": "propositions",
        "summaries": summaries,
        "quarters": quarters,
        "form": form,
        "can_rate": can_rate,
        "all_rated": len(own) == len(summaries),
        "current_quarter": picture.quarter_label(picture.quarter_start(today)),
        "next_quarter": form.next_quarter_starts(),
    }
    return render(
        request,
        "talking_points/picture/propositions.html",
        context,
        status=400 if form.errors else 200,
    )
