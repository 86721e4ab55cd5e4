"""Guests at a live session: the pages a guest uses (from the link, no account), and the
facilitator's guest panel (the link, its QR code, and what waits to be admitted).

A guest is remembered by their own session cookie, for that session only: the cookie maps
a session's id to the guest's id, and a guest is only ever looked up through the link the
request came by, so a guest of one session is nobody at another.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from hls_forum.types import HtmxRequest
from partnerships.models import ForumMembership, ForumRole
from partnerships.types import AuthenticatedRequest
from talking_points.models import Session, SessionStatus
from talking_points.permissions import get_member_session_or_404, require_session_facilitator
from talking_points.services import agenda_with_contributions

from . import limits, panel, services
from .forms import GuestContributionForm, GuestJoinForm
from .models import Guest, GuestLink, WaitingContribution

COOKIE_KEY = "guest_of_session"
POLL_SECONDS = 3


# --- Helpers ----------------------------------------------------------------------------


def _link_or_404(token: str) -> GuestLink:
    link = (
        GuestLink.objects.select_related("session__forum__place").filter(token=token[:64]).first()
    )
    if link is None:
        raise Http404("No such guest link")
    return link


def _guest_id(request: HttpRequest, session_id: int) -> int | None:
    known = request.session.get(COOKIE_KEY)
    guest_id = known.get(str(session_id)) if isinstance(known, dict) else None
    return guest_id if isinstance(guest_id, int) else None


def _guest_of(request: HttpRequest, link: GuestLink) -> Guest | None:
    guest_id = _guest_id(request, link.session_id)
    if guest_id is None:
        return None
    return Guest.objects.filter(pk=guest_id, link=link).first()


def _remember(request: HttpRequest, guest: Guest, session_id: int) -> None:
    known = request.session.get(COOKIE_KEY)
    known = dict(known) if isinstance(known, dict) else {}
    known[str(session_id)] = guest.pk
    request.session[COOKIE_KEY] = known


def _ended(request: HttpRequest, link: GuestLink) -> HttpResponse:
    """The link's session is no longer live: say so plainly (410 Gone)."""
    return render(request, "guests/ended.html", {"session": link.session}, status=410)


def _too_many(request: HttpRequest, link: GuestLink, seconds: int) -> HttpResponse:
    response = render(
        request,
        "guests/too_many.html",
        {"session": link.session, "token": link.token, "minutes": max(1, seconds // 60)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _refused(request: HttpRequest, link: GuestLink, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "guests/refused.html",
        {"session": link.session, "token": link.token, "message": message},
        status=status,
    )


def _live_context(link: GuestLink, guest: Guest, *, etag: str = "") -> dict[str, Any]:
    """What the guest's polled region shows: the same agenda and shown contributions that
    members see, the guest's own waiting contributions. A fixed number of queries."""
    session = link.session
    agenda = agenda_with_contributions(session, include_hidden=False)
    current = next((e for e in agenda if e.item.pk == session.current_item_id), None)
    return {
        "session": session,
        "forum": session.forum,
        "link": link,
        "guest": guest,
        "closed": not session.is_live,
        "current": current,
        "upcoming": [e for e in agenda if e.item.status == "pending"],
        "at_the_table": session.attendances.count(),
        "my_waiting": list(guest.waiting.select_related("agenda_item__talking_point")),
        "poll_seconds": POLL_SECONDS,
        "etag": quote_etag(etag) if etag else "",
    }


def _guest_etag(request: HttpRequest, token: str) -> str | None:
    """The guest page's polled region for this guest: the session's version (moved by every
    write it shows, a guest's waiting contributions included) and the guest. ``None`` when
    the session is not live or the visitor is not its guest (the view then answers)."""
    row = (
        GuestLink.objects.filter(token=token[:64])
        .values_list("session_id", "session__version", "session__status")
        .first()
    )
    if row is None or row[2] != SessionStatus.LIVE:
        return None
    guest_id = _guest_id(request, row[0])
    return None if guest_id is None else f"g{row[0]}-v{row[1]}-g{guest_id}"


# --- What a guest uses -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def guest_join(request: HttpRequest, token: str) -> HttpResponse:
    link = _link_or_404(token)
    if not link.session.is_live:
        return _ended(request, link)
    if _guest_of(request, link) is not None:
        return redirect("guests:live", token=link.token)
    form = GuestJoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not limits.allow(token=link.token, action="join", limit=limits.JOINS):
            return _too_many(request, link, limits.JOINS[1])
        if form.is_valid():
            try:
                guest = services.guest_join(
                    link=link,
                    name=form.cleaned_data["name"],
                    anonymous=form.cleaned_data["anonymous"],
                )
            except services.GuestError as exc:
                link.session.refresh_from_db()
                if not link.session.is_live:
                    return _ended(request, link)
                form.add_error(None, str(exc))
            else:
                _remember(request, guest, link.session_id)
                messages.success(request, "You have joined the session as a guest.")
                return redirect("guests:live", token=link.token)
    return render(
        request,
        "guests/join.html",
        {"session": link.session, "forum": link.session.forum, "link": link, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@condition(etag_func=_guest_etag)
def guest_live(request: HtmxRequest, token: str) -> HttpResponse:
    """The guest's live page; an htmx poll gets its changing region (304 when unchanged)."""
    link = _link_or_404(token)
    guest = _guest_of(request, link)
    if not link.session.is_live:
        if request.htmx and guest is not None:  # tell the open page, and stop polling
            return render(request, "guests/live.html#guest-state", {"closed": True})
        return _ended(request, link)
    if guest is None:
        return redirect("guests:join", token=link.token)
    session = link.session
    etag = f"g{session.pk}-v{session.version}-g{guest.pk}"
    context = _live_context(link, guest, etag=etag)
    with timezone.override(session.forum.place.tz):
        if request.htmx:
            response = render(request, "guests/live.html#guest-state", context)
        else:
            context["form"] = GuestContributionForm()
            response = render(request, "guests/live.html", context)
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


@require_POST
def guest_say(request: HtmxRequest, token: str) -> HttpResponse:
    link = _link_or_404(token)
    if not link.session.is_live:
        return _ended(request, link)
    guest = _guest_of(request, link)
    if guest is None:
        return _refused(
            request, link, "Join the session as a guest before you add anything.", status=403
        )
    if not limits.allow(token=link.token, action="say", limit=limits.CONTRIBUTIONS):
        return _too_many(request, link, limits.CONTRIBUTIONS[1])
    form = GuestContributionForm(request.POST)
    sent = False
    if form.is_valid():
        try:
            services.guest_contribution_add(
                guest=guest,
                agenda_item_id=form.cleaned_data["agenda_item"],
                text=form.cleaned_data["text"],
            )
            sent = True
        except services.GuestError as exc:
            link.session.refresh_from_db()
            if not link.session.is_live:
                return _ended(request, link)
            form.add_error(None, str(exc))
    if sent and not request.htmx:
        messages.success(request, "Sent. It will show once the facilitator lets it in.")
        return redirect(reverse("guests:live", kwargs={"token": link.token}) + "#say")
    context = {"session": link.session, "link": link, "form": form, "sent": sent}
    if sent:
        context["form"] = GuestContributionForm()
    if request.htmx:
        response = render(request, "guests/live.html#say-form", context)
        if sent:
            response["HX-Trigger"] = "guest-said"
        return response
    link.session.refresh_from_db()
    context.update(_live_context(link, guest))
    with timezone.override(link.session.forum.place.tz):
        return render(request, "guests/live.html", context, status=400)


# --- The facilitator's side ---------------------------------------------------------------


def _facilitated_session(request: AuthenticatedRequest, pk: int) -> Session:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    return session


def _back(session: Session) -> HttpResponse:
    return redirect(session.get_absolute_url() + "#guests-heading")


def _panel_etag(request: HttpRequest, pk: int) -> str | None:
    """The guest panel for a facilitator: the session's version. One query; ``None`` for
    anyone else (the view then answers 403 or 404)."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    facilitates = ForumMembership.objects.filter(
        forum_id=OuterRef("forum_id"), user=user, role=ForumRole.FACILITATOR
    )
    version = (
        Session.objects.filter(Exists(facilitates), pk=pk).values_list("version", flat=True).first()
    )
    if version is None:
        return None
    return f"gp{pk}-v{version}-u{user.pk}"


@login_required
@require_GET
@condition(etag_func=_panel_etag)
def guest_panel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The guest link, its QR code and what waits to be admitted: a page of its own, and
    the live page's panel (which polls it)."""
    session = _facilitated_session(request, pk)
    context = panel.panel_context(request, session)
    context["etag"] = quote_etag(f"gp{pk}-v{session.version}-u{request.user.pk}")
    template = "guests/_panel.html" if request.htmx else "guests/panel.html"
    with timezone.override(session.forum.place.tz):
        response = render(request, template, context)
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


@login_required
@require_POST
def guest_link_make(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _facilitated_session(request, pk)
    had_link = GuestLink.objects.filter(session=session).exists()
    try:
        services.guest_link_make(session=session, by=request.user)
    except services.GuestError as exc:
        messages.error(request, str(exc))
        return _back(session)
    if had_link:
        messages.success(request, "There is a new guest link. The old one no longer works.")
    else:
        messages.success(request, "Guests can now join with the link or the QR code.")
    return _back(session)


@login_required
@require_POST
def waiting_admit(request: AuthenticatedRequest, pk: int, waiting_pk: int) -> HttpResponse:
    session = _facilitated_session(request, pk)
    waiting = get_object_or_404(WaitingContribution, pk=waiting_pk, session=session)
    try:
        services.guest_contribution_admit(waiting=waiting)
    except services.GuestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The guest's contribution is now shown to everyone.")
    return _back(session)


@login_required
@require_http_methods(["GET", "POST"])
def waiting_decline(request: AuthenticatedRequest, pk: int, waiting_pk: int) -> HttpResponse:
    """Declining deletes what the guest wrote, so the facilitator confirms it first."""
    session = _facilitated_session(request, pk)
    waiting = get_object_or_404(
        WaitingContribution.objects.select_related("guest", "agenda_item__talking_point"),
        pk=waiting_pk,
        session=session,
    )
    if request.method == "POST":
        try:
            services.guest_contribution_decline(waiting=waiting)
        except services.GuestError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The guest's contribution was declined and deleted.")
        return _back(session)
    return render(
        request,
        "guests/decline.html",
        {"session": session, "forum": session.forum, "waiting": waiting},
    )
