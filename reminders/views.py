"""Pages for reminders: a person's choices, one-click unsubscribe, a forum's calendar feed,
and the facilitator's view of who was sent what."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hls_forum.http import safe_next
from partnerships import permissions
from partnerships.models import ForumMembership
from partnerships.types import AuthenticatedRequest

from . import calendars, content, scheduling, services, tokens
from .forms import DigestPreferenceForm
from .models import Delivery, DeliveryKind, DeliveryStatus, DigestPreference

# --- A person's choices -------------------------------------------------------------


def _digest_eligible(user: Any) -> bool:
    return bool(user.is_commissioner or content.is_vcs_staff(user))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    memberships = (
        ForumMembership.objects.filter(user=user)
        .select_related("forum", "forum__place")
        .order_by("forum__name")
    )
    eligible = _digest_eligible(user)
    preference = DigestPreference.objects.filter(user=user).first() or DigestPreference(user=user)
    form = DigestPreferenceForm(request.POST or None, instance=preference) if eligible else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Weekly digests are for commissioners and VCS staff.")
        if form.is_valid():
            services.digest_preference_set(
                user=user,
                frequency=form.cleaned_data["frequency"],
                weekday=form.cleaned_data["weekday"],
            )
            if request.htmx:
                return render(
                    request,
                    "reminders/preferences.html#digest_form",
                    {"form": form, "digest_saved": True},
                )
            messages.success(request, "Your digest choice is saved.")
            return redirect("reminders:preferences")
    rows = [
        {
            "membership": membership,
            "calendar_url": _personal_calendar_url(user.pk, membership.forum),
        }
        for membership in memberships
    ]
    context = {"rows": rows, "form": form, "digest_eligible": eligible}
    template = "reminders/preferences.html"
    if request.htmx and form is not None and request.method == "POST":
        template += "#digest_form"
    return render(request, template, context)


def _personal_calendar_url(user_id: int, forum: Any) -> str:
    token = tokens.calendar_token(user_id=user_id, forum_id=forum.pk)
    path = reverse("reminders:forum_calendar", kwargs={"slug": forum.slug})
    return f"{settings.SITE_URL}{path}?token={token}"


@login_required
@require_POST
def forum_reminders_toggle(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    membership = permissions.forum_membership(request.user, forum)
    if membership is None:
        raise PermissionDenied("You are not a member of this forum, so it sends you no reminders.")
    enabled = request.POST.get("enabled") == "1"
    services.forum_reminders_set(membership=membership, enabled=enabled)
    notice = f"Reminders for {forum.name} are {'on' if enabled else 'off'}."
    if request.htmx:
        row = {
            "membership": membership,
            "calendar_url": _personal_calendar_url(request.user.pk, forum),
        }
        return render(
            request, "reminders/preferences.html#forum_row", {"row": row, "notice": notice}
        )
    messages.success(request, notice)
    # The forum's own page has the same switch and asks to come back to it.
    return redirect(safe_next(request, reverse("reminders:preferences")))


# --- One-click unsubscribe (RFC 8058) --------------------------------------------------


@csrf_exempt  # RFC 8058: mail clients POST without cookies or a token; the signed URL is the key
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link would stop and changes nothing (link scanners follow GETs);
    POST stops it and answers 200, with no sign-in, cookie or CSRF token needed."""
    link = tokens.read_unsubscribe_token(token)
    if link is None:
        return render(request, "reminders/unsubscribe.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        stopped = services.unsubscribe(link=link)
        state = "done" if stopped else "nothing"
        response = render(request, "reminders/unsubscribe.html", {"state": state, "what": stopped})
    else:
        response = render(
            request,
            "reminders/unsubscribe.html",
            {"state": "confirm", "what": _unsubscribe_label(link)},
        )
    response["X-Robots-Tag"] = "noindex"
    return response


def _unsubscribe_label(link: tokens.UnsubscribeLink) -> str:
    if link.forum_id is None:
        return "the weekly digest"
    membership = (
        ForumMembership.objects.filter(user_id=link.user_id, forum_id=link.forum_id)
        .select_related("forum")
        .first()
    )
    return f"reminders for {membership.forum.name}" if membership else "these reminders"


# --- Calendar feed -----------------------------------------------------------------------


@require_GET
def forum_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum's upcoming meetings as an .ics feed. Open forums: anyone, without the online
    link. Members (signed in, or with their personal token in the address): with the link.
    Invite-only forums: members only; anyone else gets a 404."""
    forum = permissions.get_forum_or_404(slug)
    token = request.GET.get("token", "")
    if token:
        user_id = tokens.read_calendar_token(token, forum_id=forum.pk)
        member = (
            user_id is not None
            and ForumMembership.objects.filter(forum=forum, user_id=user_id).exists()
        )
        if not member:
            raise Http404("This calendar address is no longer valid.")
    else:
        member = permissions.is_forum_member(request.user, forum)
        if not member and not forum.is_open:
            raise Http404("No such calendar.")
    body = calendars.feed(forum, include_online_link=member)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{forum.slug}.ics"'
    response["Cache-Control"] = "private, max-age=3600" if member else "public, max-age=3600"
    return response


# --- Oversight for facilitators ------------------------------------------------------


def _status_counts() -> dict[str, Any]:
    return {
        "total": Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in DeliveryStatus.values},
    }


@login_required
@require_GET
def forum_deliveries(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    permissions.require_facilitator(request.user, forum)
    meetings = (
        Delivery.objects.reminders()
        .filter(forum=forum)
        .values("occasion_date")
        .annotate(**_status_counts())
        .order_by("-occasion_date")
    )
    page = Paginator(meetings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rhythm = scheduling.Rhythm.of(forum)
    next_meeting = scheduling.next_meeting(rhythm, timezone.now())
    context = {
        "forum": forum,
        "page_obj": page,
        "next_meeting": next_meeting,
        "next_reminder": scheduling.reminder_at(rhythm, next_meeting).astimezone(rhythm.tz),
        "reminders_off": forum.memberships.filter(reminders_enabled=False).count(),
    }
    return render(request, "reminders/forum_deliveries.html", context)


@login_required
@require_GET
def meeting_deliveries(request: AuthenticatedRequest, slug: str, day: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    permissions.require_facilitator(request.user, forum)
    try:
        meeting_day = datetime.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("No such meeting.") from exc
    deliveries = Delivery.objects.reminders().filter(forum=forum, occasion_date=meeting_day)
    counts = deliveries.aggregate(**_status_counts())
    rows = deliveries.select_related("recipient").order_by("recipient__full_name", "pk")
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "forum": forum,
        "day": meeting_day,
        "counts": counts,
        "page_obj": page,
        "needs_attention": counts["failed"] + counts["unknown"],
    }
    return render(request, "reminders/meeting_deliveries.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delivery_resend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(
        Delivery.objects.filter(kind=DeliveryKind.REMINDER).select_related(
            "forum", "forum__place", "recipient"
        ),
        pk=pk,
    )
    assert delivery.forum is not None
    permissions.require_facilitator(request.user, delivery.forum)
    back = reverse(
        "reminders:meeting_deliveries",
        kwargs={"slug": delivery.forum.slug, "day": delivery.occasion_date.isoformat()},
    )
    if not delivery.can_resend:
        messages.info(request, "That reminder is not waiting for a decision, so nothing changed.")
        return redirect(back)
    if request.method == "POST":
        services.delivery_resend(delivery=delivery)
        messages.success(request, f"The reminder to {delivery.recipient} will be sent again.")
        return redirect(back)
    return render(request, "reminders/delivery_resend.html", {"delivery": delivery, "back": back})


# --- Every automatic email, for staff -------------------------------------------------


def _require_staff(user: Any) -> None:
    if not user.is_staff:
        raise PermissionDenied("Only site staff can see the emails that need attention.")


@login_required
@require_GET
def emails_attention(request: AuthenticatedRequest) -> HttpResponse:
    """Every automatic email, of any kind, whose sending failed or stopped part-way, with
    where in the SMTP conversation it stopped; newest first."""
    _require_staff(request.user)
    rows = (
        Delivery.objects.needing_attention()
        .select_related("recipient", "forum")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reminders/emails_attention.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def email_resend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    delivery = get_object_or_404(Delivery.objects.select_related("recipient"), pk=pk)
    back = reverse("reminders:emails_attention")
    if not delivery.can_resend:
        messages.info(request, "That email is not waiting for a decision, so nothing changed.")
        return redirect(back)
    if request.method == "POST":
        services.delivery_resend(delivery=delivery)
        messages.success(
            request, f"The email to {delivery.recipient or delivery.address} will be sent again."
        )
        return redirect(back)
    return render(request, "reminders/email_resend.html", {"delivery": delivery, "back": back})
