"""Commissioners' review queue, read marks, responses and replies; and the learning
connected to a session or a decision."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hls_forum.http import safe_next
from partnerships.models import Place, covered_place_ids
from partnerships.types import AuthenticatedRequest

from ... import permissions, services
from ...forms import (
    ReplyForm,
    ReviewForm,
)
from ...models import (
    Decision,
    LearningEntry,
    Review,
)
from ...pagination import (
    per_place_fetch,
    queryset_fetch,
)
from .logs import filters_query, requested_page

# --- Review ------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    """What is shared with the commissioner: unread first, then (with ``show=all``) read,
    each newest first; a page at a time by position, without counting either list.

    """
    user = request.user
    permissions.require_commissioner(user)
    show_all = request.GET.get("show") == "all"
    shared = LearningEntry.objects.review_queue_for(user).for_lists()
    unread = per_place_fetch(
        shared.unread_by(user), covered_place_ids(user), show=LearningEntry.objects.for_lists()
    )
    segments = [("", unread)]
    if show_all:
        segments.append((READ_SEGMENT, queryset_fetch(shared.read_by(user))))
    page, bad_cursor = requested_page(request, segments)
    for entry in page:
        entry.is_read = page.segment_of(entry) == READ_SEGMENT
    context = {
        "page_obj": page,
        "show_all": show_all,
        "bad_cursor": bad_cursor,
        "query_string": filters_query(request),
        "next": request.get_full_path(),
    }
    return render(
        request,
        "talking_points/learning/review_queue.html",
        context,
        status=400 if bad_cursor else 200,
    )


READ_SEGMENT = "read"


@login_required
@require_POST
def entry_mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_review_entry(request.user, entry)
    read = request.POST.get("read", "1") != "0"
    services.review_mark_read(entry=entry, user=request.user, read=read)
    messages.success(request, f"“{entry.title}” is marked as {'read' if read else 'unread'}.")
    return HttpResponseRedirect(safe_next(request, entry.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_review_entry(request.user, entry)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_create(
            entry=entry,
            author=request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
        messages.success(
            request, f"Your response is saved. {entry.organisation.name} will be emailed."
        )
        return redirect(f"{entry.get_absolute_url()}#responses")
    return render(
        request, "talking_points/learning/review_form.html", {"entry": entry, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.filter(
            LearningEntry.objects.visible_at(request.user, "entry_id"), in_reply_to__isnull=True
        ).select_related("entry", "entry__organisation", "entry__place", "author"),
        pk=pk,
    )
    permissions.require_can_reply_to_review(request.user, review)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_reply(review=review, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Your reply is saved and the conversation is emailed.")
        return redirect(f"{review.entry.get_absolute_url()}#thread-{review.pk}")
    replies = review.replies.select_related("author")
    context = {"review": review, "entry": review.entry, "replies": replies, "form": form}
    return render(request, "talking_points/learning/review_reply.html", context)


# --- Connections, seen from a session or a decision -----------------------------------------


@require_GET
def session_learning(request: HttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_or_404(request.user, pk)
    entries = (
        LearningEntry.objects.visible_to(request.user)
        .filter(links__session=session)
        .distinct()
        .for_lists()
    )
    page = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"session": session, "decision": None, "page_obj": page, "query_string": ""}
    return render(request, "talking_points/learning/linked_from.html", context)


@require_GET
def decision_learning(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "session", "session__forum", "session__forum__place"
        ),
        pk=pk,
    )
    entries = (
        LearningEntry.objects.visible_to(request.user)
        .filter(links__decision=decision)
        .distinct()
        .for_lists()
    )
    page = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "session": decision.session,
        "decision": decision,
        "page_obj": page,
        "query_string": "",
        "shows_decision_text": request.user.is_authenticated
        and Place.objects.in_partnership_of(request.user)
        .filter(pk=decision.session.forum.place_id)
        .exists(),
    }
    return render(request, "talking_points/learning/linked_from.html", context)
