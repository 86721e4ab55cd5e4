"""Forum sessions: talking points per forum, planning, the live page, decisions, actions,
the summary, and each forum's record.

Trust: every session URL fetches through ``Session.objects.for_members`` (live, planned,
writes) or ``Session.objects.visible_to`` (published summaries), so a person outside the
forum gets a 404 exactly as if the session did not exist. Writes a member may not make
(a participant pressing "Next") are a 403 with a plain explanation.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import quote_etag
from django.views.decorators.http import (
    condition,
    require_GET,
    require_http_methods,
    require_POST,
)

from partnerships import permissions as forum_permissions
from partnerships.models import Forum, ForumMembership, ForumRole
from partnerships.types import AuthenticatedRequest
from privacy import audit
from privacy.models import AuditEventType

from . import forms, services
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Contribution,
    Decision,
    Session,
    SessionStatus,
    TalkingPoint,
)
from .models.wellbeing import check_in_is_open
from .permissions import (
    can_mark_action_done,
    get_member_session_or_404,
    get_session_or_404,
    require_session_facilitator,
)

POLL_SECONDS = 2
# The live page's agenda, what was said, attendance and actions are the same for every member
# (facilitators apart: they also see hidden contributions) at a given ``Session.version``,
# which the database moves on every write to the session and the rows it holds (database
# triggers, see the migration that adds them); so they are cached by that version. The time
# only bounds how long an old version's copy lingers.
LIVE_CACHE_SECONDS = 600


# --- Helpers --------------------------------------------------------------------------


def _forum_member_or_403(request: HttpRequest, forum: Forum) -> ForumMembership:
    membership = forum_permissions.forum_membership(request.user, forum)
    if membership is None:
        raise PermissionDenied("Only members of this forum can see this page.")
    return membership


def _facilitator_or_403(request: HttpRequest, forum: Forum) -> ForumMembership:
    membership = _forum_member_or_403(request, forum)
    if not membership.is_facilitator:
        raise PermissionDenied("Only a facilitator of this forum can do that.")
    return membership


def _posted(request: HttpRequest) -> Any:
    """Bind a form on POST even when nothing was sent, so an empty post shows its errors."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _page(request: HttpRequest, items: Any, per_page: int = 20) -> Any:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _back_to(session: Session, anchor: str = "") -> HttpResponseRedirect:
    return redirect(session.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _error(request: HttpRequest, session: Session, message: str, status: int = 409) -> HttpResponse:
    """A plain page explaining why a change was refused, with a way back."""
    return render(
        request,
        "talking_points/sessions/session_error.html",
        {"session": session, "message": message},
        status=status,
    )


# --- Talking points per forum --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forum_talking_points(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    membership = _forum_member_or_403(request, forum)
    form = forms.TalkingPointForm(_posted(request))
    status = 200
    if request.method == "POST":
        _facilitator_or_403(request, forum)
        if form.is_valid():
            services.talking_point_add(forum=forum, text=form.cleaned_data["text"], by=request.user)
            messages.success(request, "Your talking point was added.")
            return redirect("talking_points:forum_talking_points", slug=forum.slug)
        status = 400
    points = list(TalkingPoint.objects.for_forum(forum).prefetch_related("parts"))
    context = {
        "forum": forum,
        "membership": membership,
        "is_facilitator": membership.is_facilitator,
        "active": [p for p in points if not getattr(p, "retired", False)],
        "retired": [p for p in points if getattr(p, "retired", False)],
        "form": form,
    }
    with timezone.override(forum.place.tz):
        return render(
            request, "talking_points/sessions/forum_talking_points.html", context, status=status
        )


@login_required
@require_POST
def talking_point_retire(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    _facilitator_or_403(request, forum)
    point = get_object_or_404(TalkingPoint.objects.for_forum(forum), pk=pk)
    if request.POST.get("restore"):
        services.talking_point_restore(forum=forum, talking_point=point)
        messages.success(request, "The talking point is back in use.")
    else:
        services.talking_point_retire(forum=forum, talking_point=point, by=request.user)
        messages.success(request, "The talking point was retired for this forum.")
    return redirect("talking_points:forum_talking_points", slug=forum.slug)


# --- The forum's record: sessions, decisions, actions -----------------------------------


@require_GET
def forum_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    membership = forum_permissions.forum_membership(request.user, forum)
    sessions = Session.objects.visible_to(request.user).filter(forum=forum).order_by("-starts_at")
    context = {
        "forum": forum,
        "membership": membership,
        "is_facilitator": membership is not None and membership.is_facilitator,
        "page_obj": _page(request, sessions),
    }
    with timezone.override(forum.place.tz):
        return render(request, "talking_points/sessions/forum_sessions.html", context)


@require_GET
def forum_decisions(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    decisions = (
        Decision.objects.filter(
            session__in=Session.objects.visible_to(request.user).filter(forum=forum)
        )
        .select_related("session")
        .prefetch_related(services.linked_learning_prefetch(request.user))
        .order_by("-created_at", "-pk")
    )
    context = {"forum": forum, "page_obj": _page(request, decisions)}
    with timezone.override(forum.place.tz):
        return render(request, "talking_points/sessions/forum_decisions.html", context)


@require_GET
def forum_actions(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    status = request.GET.get("status", ActionStatus.OPEN)
    if status not in ActionStatus.values:
        status = ActionStatus.OPEN
    membership = forum_permissions.forum_membership(request.user, forum)
    actions = (
        Action.objects.filter(
            session__in=Session.objects.visible_to(request.user).filter(forum=forum),
            status=status,
        )
        .select_related("session")
        .order_by("due_on", "pk")
    )
    context = {
        "forum": forum,
        "status": status,
        "membership": membership,
        "page_obj": _page(request, actions),
        "query_string": f"status={status}",
        "today": timezone.localdate(),
    }
    with timezone.override(forum.place.tz):
        return render(request, "talking_points/sessions/forum_actions.html", context)


# --- Planning -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_plan(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    _facilitator_or_403(request, forum)
    with timezone.override(forum.place.tz):
        initial = {
            "starts_at": timezone.localtime(forum.next_meeting()),
            "venue": forum.venue,
            "online_link": forum.online_link,
        }
        form = forms.SessionPlanForm(_posted(request), initial=initial, forum=forum)
        if request.method == "POST" and form.is_valid():
            chosen = set(p.pk for p in form.cleaned_data["talking_points"])
            # Keep the suggested order (least recently discussed first).
            suggested = TalkingPoint.objects.suggested_for_forum(forum)
            points = [p for p in suggested if p.pk in chosen]
            session = services.session_plan(
                forum=forum,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                venue=form.cleaned_data["venue"],
                online_link=form.cleaned_data["online_link"],
                talking_points=points,
                time_box_minutes=form.cleaned_data["time_box_minutes"],
            )
            messages.success(request, "The session is planned. Check the agenda below.")
            return redirect(session)
        suggestions = list(TalkingPoint.objects.suggested_for_forum(forum)[:3])
        return render(
            request,
            "talking_points/sessions/session_plan.html",
            {"forum": forum, "form": form, "suggestions": suggestions},
            status=400 if form.errors else 200,
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_planned:
        return _error(request, session, "Only a planned session can be changed.")
    with timezone.override(session.forum.place.tz):
        form = forms.SessionForm(_posted(request), instance=session)
        if request.method == "POST" and form.is_valid():
            services.session_update(
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                venue=form.cleaned_data["venue"],
                online_link=form.cleaned_data["online_link"],
            )
            messages.success(request, "The session was updated.")
            return redirect(session)
        return render(
            request,
            "talking_points/sessions/session_edit.html",
            {"session": session, "forum": session.forum, "form": form},
            status=400 if form.errors else 200,
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_planned:
        return _error(request, session, "Only a planned session can be deleted.")
    if request.method == "POST":
        services.session_delete(session=session)
        messages.success(request, "The planned session was deleted.")
        return redirect("talking_points:forum_sessions", slug=session.forum.slug)
    with timezone.override(session.forum.place.tz):
        return render(request, "talking_points/sessions/session_delete.html", {"session": session})


@login_required
@require_POST
def agenda_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.AgendaItemForm(request.POST, forum=session.forum)
    if not form.is_valid():
        return _detail(request, session, membership, agenda_form=form, status=400)
    try:
        services.agenda_item_add(
            session=session,
            talking_point=form.cleaned_data["talking_point"],
            time_box_minutes=form.cleaned_data["time_box_minutes"],
        )
    except services.SessionError as exc:
        return _error(request, session, str(exc))
    messages.success(request, "The talking point was added to the agenda.")
    return _back_to(session, "agenda")


def _session_item(session: Session, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_pk, session=session)


@login_required
@require_POST
def agenda_item_time_box(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    item = _session_item(session, item_pk)
    form = forms.TimeBoxForm(request.POST)
    if not form.is_valid():
        return _detail(request, session, membership, time_box_errors={item.pk: form}, status=400)
    try:
        services.agenda_item_set_time_box(
            item=item, time_box_minutes=form.cleaned_data["time_box_minutes"]
        )
    except services.SessionError as exc:
        return _error(request, session, str(exc))
    messages.success(request, "The time box was changed.")
    return _back_to(session, "agenda")


@login_required
@require_POST
def agenda_item_move(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    item = _session_item(session, item_pk)
    try:
        services.agenda_item_move(item=item, up=request.POST.get("direction") == "up")
    except services.SessionError as exc:
        return _error(request, session, str(exc))
    return _back_to(session, "agenda")


@login_required
@require_POST
def agenda_item_remove(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    item = _session_item(session, item_pk)
    try:
        services.agenda_item_remove(item=item)
    except services.SessionError as exc:
        return _error(request, session, str(exc))
    messages.success(request, "The talking point was taken off the agenda.")
    return _back_to(session, "agenda")


# --- The session page: planned, live or closed --------------------------------------------


def _live_context(
    request: HttpRequest, session: Session, membership: ForumMembership, *, etag: str = ""
) -> dict[str, Any]:
    """What the live page's polled region shows. A fixed number of queries.

    ``etag`` labels what the poll shows; the full page has none, so its first poll renders
    the region afresh and from then on carries the poll's ETag (``_poll_etag``)."""
    is_facilitator = membership.role == ForumRole.FACILITATOR
    agenda = services.agenda_with_contributions(session, include_hidden=is_facilitator)
    current = next((e for e in agenda if e.item.pk == session.current_item_id), None)
    attendances = list(session.attendances.all())
    mine = next((a for a in attendances if a.user_id == request.user.pk), None)
    turn = next((a for a in attendances if a.pk == session.round_robin_turn_id), None)
    return {
        "session": session,
        "forum": session.forum,
        "membership": membership,
        "is_facilitator": is_facilitator,
        "agenda": agenda,
        "current": current,
        "earlier": [e for e in agenda if e.item.status == "done" and e is not current],
        "upcoming": [e for e in agenda if e.item.status == "pending"],
        "attendances": attendances,
        "my_attendance": mine,
        "turn": turn,
        "my_turn": turn is not None and mine is not None and turn.pk == mine.pk,
        "balance": SimpleLazyObject(lambda: services.voice_balance(session))
        if is_facilitator
        else None,
        "decisions": services.decisions_for(session, request.user),
        "actions": SimpleLazyObject(lambda: list(session.actions.order_by("pk"))),
        "live_cache_seconds": LIVE_CACHE_SECONDS,
        "poll_seconds": POLL_SECONDS,
        "etag": quote_etag(etag) if etag else "",
    }


def _detail(
    request: HttpRequest,
    session: Session,
    membership: ForumMembership | None,
    *,
    status: int = 200,
    **forms_override: Any,
) -> HttpResponse:
    """Render the session page for its state, with any bound (invalid) forms."""
    tz = session.forum.place.tz
    if membership is None or session.is_closed:
        return _summary(request, session, membership, status=status, **forms_override)
    is_facilitator = membership.role == ForumRole.FACILITATOR
    # Members check in (anonymously) from an hour before the start until the close.
    check_in_open = check_in_is_open(session)
    with timezone.override(tz):
        if session.is_planned:
            agenda = list(
                session.agenda_items.select_related(
                    "talking_point", "carried_from__session"
                ).order_by("position", "pk")
            )
            for item in agenda:
                bad = forms_override.get("time_box_errors", {}).get(item.pk)
                if bad is not None:
                    item.time_box_error = bad.errors["time_box_minutes"][0]  # type: ignore[attr-defined]
                    item.time_box_value = bad.data.get("time_box_minutes", "")  # type: ignore[attr-defined]
            context: dict[str, Any] = {
                "session": session,
                "forum": session.forum,
                "membership": membership,
                "is_facilitator": is_facilitator,
                "agenda": agenda,
                "total_minutes": sum(item.time_box_minutes for item in agenda),
                "check_in_open": check_in_open,
            }
            if is_facilitator:
                context["agenda_form"] = forms_override.get("agenda_form") or forms.AgendaItemForm(
                    forum=session.forum
                )
                context["suggestions"] = list(
                    TalkingPoint.objects.suggested_for_forum(session.forum)[:3]
                )
            return render(
                request, "talking_points/sessions/session_planned.html", context, status=status
            )
        context = _live_page_context(request, session, membership, check_in_open, forms_override)
        response = render(
            request, "talking_points/sessions/session_live.html", context, status=status
        )
        response["Cache-Control"] = "private, no-cache"
        return response


def _live_page_context(
    request: HttpRequest,
    session: Session,
    membership: ForumMembership,
    check_in_open: bool,
    forms_override: dict[str, Any],
) -> dict[str, Any]:
    """Everything the live page shows, with any bound (invalid) forms."""
    user: Any = request.user
    context = _live_context(request, session, membership)
    context["check_in_open"] = check_in_open
    context["contribution_form"] = forms_override.get("contribution_form") or _contribution_form(
        context
    )
    if context["is_facilitator"]:
        context["decision_form"] = forms_override.get("decision_form") or forms.DecisionForm(
            session=session, user=user
        )
        context["action_form"] = forms_override.get("action_form") or forms.ActionForm(
            session=session
        )
        context["agenda_form"] = forms_override.get("agenda_form") or forms.AgendaItemForm(
            forum=session.forum
        )
    return context


def _contribution_form(context: dict[str, Any]) -> forms.ContributionForm:
    current = context.get("current")
    return forms.ContributionForm(initial={"agenda_item": current.item.pk if current else None})


def _summary(
    request: HttpRequest,
    session: Session,
    membership: ForumMembership | None,
    *,
    status: int = 200,
    **forms_override: Any,
) -> HttpResponse:
    context = services.session_summary_context(session, request.user)
    is_facilitator = membership is not None and membership.is_facilitator
    context.update(
        {
            "forum": session.forum,
            "membership": membership,
            "is_member": membership is not None,
            "is_facilitator": is_facilitator,
            "today": timezone.localdate(),
        }
    )
    if is_facilitator:
        context["publish_form"] = forms_override.get("publish_form") or forms.PublishForm(
            initial={"visibility": session.summary_visibility}
        )
    with timezone.override(session.forum.place.tz):
        return render(
            request, "talking_points/sessions/session_summary.html", context, status=status
        )


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's page, fetched through ``Session.objects.visible_to``: a forum's members
    see every session of it (planned, live or closed); anyone else only closed sessions
    whose summary was shared with them."""
    session = get_session_or_404(request.user, pk)
    membership = forum_permissions.forum_membership(request.user, session.forum)
    if membership is None and not session.is_closed:  # visible_to never allows this
        raise Http404("No such session")
    return _detail(request, session, membership)


# --- Opening, joining, the poll ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_planned:
        return _back_to(session)
    form = forms.OpenSessionForm(
        _posted(request), forum=session.forum, initial={"present": [request.user.pk]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_open(
                session=session, by=request.user, present=form.cleaned_data["present"]
            )
        except services.SessionError as exc:
            return _error(request, session, str(exc))
        messages.success(request, "The session is live.")
        return _back_to(session)
    with timezone.override(session.forum.place.tz):
        return render(
            request,
            "talking_points/sessions/session_open.html",
            {"session": session, "forum": session.forum, "form": form},
        )


@login_required
@require_POST
def session_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, _membership = get_member_session_or_404(request.user, pk)
    try:
        services.session_join(session=session, user=request.user)
    except services.SessionError as exc:
        return _error(request, session, str(exc))
    messages.success(request, "You have joined the session.")
    return _back_to(session, "contribute")


def _poll_etag(request: HttpRequest, pk: int) -> str | None:
    """What the live page's polled region shows, for this reader: the session's
    ``version`` (which the database moves on every write to the session, its agenda,
    attendance, contributions, decisions and actions), its state and the reader's role in
    its forum. ``None`` (no ETag, so the view answers: 404 or a redirect) for anyone who is
    not a member, or when the session is not live. One query."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    row = (
        Session.objects.filter(pk=pk)
        .annotate(
            role=Subquery(
                ForumMembership.objects.filter(forum_id=OuterRef("forum_id"), user=user).values(
                    "role"
                )[:1]
            )
        )
        .values_list("version", "role", "status")
        .first()
    )
    if row is None or row[1] is None or row[2] != SessionStatus.LIVE:
        return None
    version, role, _status = row
    return _poll_tag(pk, version, role, user.pk)


def _poll_tag(session_id: int, version: int, role: str, user_id: int) -> str:
    return f"s{session_id}-v{version}-{role}-u{user_id}"


@require_GET
@condition(etag_func=_poll_etag)
def session_poll(request: HttpRequest, pk: int) -> HttpResponse:
    """The live page's polled region. An unchanged one answers 304 after the ETag's one
    query (Django's ``condition``), behind the whole middleware stack: sessions, sign-in,
    two-step sign-in and session lifetimes are checked on every poll."""
    session, membership = get_member_session_or_404(request.user, pk)
    if not session.is_live:
        # The session closed (or was never opened): send everyone to its page.
        url = reverse("talking_points:session_detail", kwargs={"pk": pk})
        if _is_htmx(request):
            return HttpResponse(status=200, headers={"HX-Redirect": url})
        return redirect(url)
    with timezone.override(session.forum.place.tz):
        # Labelled with the version read with what it shows: a change made since the ETag
        # was read makes the next poll draw the region again.
        etag = _poll_tag(session.pk, session.version, membership.role, request.user.pk)
        context = _live_context(request, session, membership, etag=etag)
        response = render(request, "talking_points/sessions/session_live.html#live-state", context)
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


# --- Live actions -------------------------------------------------------------------------


@login_required
@require_POST
def agenda_advance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    raw = request.POST.get("expected_item", "")
    expected = int(raw) if raw.isdigit() else None
    try:
        item = services.agenda_advance(session=session, expected_item_id=expected)
    except services.SessionError as exc:
        messages.error(request, str(exc))
        return _back_to(session)
    if item is None:
        messages.success(request, "That was the last item on the agenda.")
    else:
        messages.success(request, f"Now discussing: {item.talking_point.text[:80]}")
    return _back_to(session)


@login_required
@require_POST
def contribution_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    form = forms.ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_add(
                session=session,
                agenda_item_id=form.cleaned_data["agenda_item"],
                user=request.user,
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except services.SessionError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        if session.is_closed:
            return _error(
                request, session, "This session has closed; it takes no more contributions."
            )
        if _is_htmx(request):
            session.refresh_from_db()
            context = _live_context(request, session, membership)
            context["contribution_form"] = form
            with timezone.override(session.forum.place.tz):
                return render(
                    request, "talking_points/sessions/session_live.html#contribution-form", context
                )
        session.refresh_from_db()
        return _detail(request, session, membership, contribution_form=form, status=400)
    if _is_htmx(request):
        session.refresh_from_db()
        context = _live_context(request, session, membership)
        context["contribution_form"] = _contribution_form(context)
        context["contribution_added"] = True
        with timezone.override(session.forum.place.tz):
            response = render(
                request, "talking_points/sessions/session_live.html#contribution-form", context
            )
        response["HX-Trigger"] = "contributions-changed"
        return response
    messages.success(request, "Your contribution was added.")
    return _back_to(session, "contribute")


@login_required
@require_http_methods(["GET", "POST"])
def contribution_hide(request: AuthenticatedRequest, pk: int, contribution_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    contribution = get_object_or_404(
        Contribution.objects.select_related("agenda_item__talking_point"),
        pk=contribution_pk,
        session=session,
    )
    form = forms.HideContributionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_hide(
                contribution=contribution, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.SessionError as exc:
            return _error(request, session, str(exc))
        messages.success(request, "The contribution is hidden.")
        return _back_to(session)
    return render(
        request,
        "talking_points/sessions/contribution_hide.html",
        {"session": session, "contribution": contribution, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def round_robin(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    step = request.POST.get("step", "")
    try:
        if step in ("on", "off"):
            services.round_robin_set(session=session, on=step == "on")
        elif step == "next":
            raw = request.POST.get("expected_turn", "")
            services.round_robin_next(
                session=session, expected_turn_id=int(raw) if raw.isdigit() else None
            )
        else:
            return _error(request, session, "Choose what to do with round-robin.", status=400)
    except services.SessionError as exc:
        messages.error(request, str(exc))
    return _back_to(session, "round-robin")


@login_required
@require_POST
def decision_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.DecisionForm(request.POST, session=session, user=request.user)
    if form.is_valid():
        try:
            services.decision_record(
                session=session,
                by=request.user,
                text=form.cleaned_data["text"],
                why=form.cleaned_data["why"],
                agenda_item=form.cleaned_data["agenda_item"],
                rests_on=form.cleaned_data["rests_on"],
            )
        except services.SessionError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        if not session.is_live:
            return _error(request, session, "Decisions are recorded while the session is live.")
        return _detail(request, session, membership, decision_form=form, status=400)
    messages.success(request, "The decision was recorded, with who was at the table.")
    return _back_to(session, "decisions")


@login_required
@require_POST
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.ActionForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.action_add(
                session=session,
                by=request.user,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                decision=form.cleaned_data["decision"],
            )
        except services.SessionError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        if not session.is_live:
            return _error(request, session, "Actions are agreed while the session is live.")
        return _detail(request, session, membership, action_form=form, status=400)
    messages.success(request, "The action was recorded.")
    return _back_to(session, "actions")


@login_required
@require_POST
def action_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.filter(session__in=Session.objects.for_members(request.user)),
        pk=pk,
    )
    session = action.session
    membership = forum_permissions.forum_membership(request.user, session.forum)
    if not can_mark_action_done(request.user, action, membership):
        raise PermissionDenied("Only the action's owner or a facilitator can change it.")
    if request.POST.get("reopen"):
        services.action_reopen(action=action)
        messages.success(request, "The action is open again.")
    else:
        services.action_mark_done(action=action, by=request.user)
        messages.success(request, "The action is marked done.")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return _back_to(session, "actions")


@login_required
@require_http_methods(["GET", "POST"])
def session_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_live:
        return _error(request, session, "Only a live session can be closed.")
    if request.method == "POST":
        try:
            next_session = services.session_close(session=session, by=request.user)
        except services.SessionError as exc:
            return _error(request, session, str(exc))
        note = " The summary is on its way to everyone who was there."
        if next_session is not None:
            note += " Unfinished items moved to the next session."
        messages.success(request, "The session is closed." + note)
        return _back_to(session)
    pending = session.agenda_items.filter(status="pending").select_related("talking_point")
    with timezone.override(session.forum.place.tz):
        return render(
            request,
            "talking_points/sessions/session_close.html",
            {"session": session, "forum": session.forum, "pending": list(pending)},
        )


@login_required
@require_POST
def session_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        return _summary(request, session, membership, publish_form=form, status=400)
    try:
        services.session_publish(
            session=session, visibility=form.cleaned_data["visibility"], by=request.user
        )
    except services.SessionError as exc:
        return _error(request, session, str(exc))
    messages.success(request, "Who may read the summary was updated.")
    return _back_to(session, "publish")


@login_required
@require_GET
def session_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Contributions as CSV for forum members. Anonymous ones say "Anonymous" and carry no
    organisation or sector: there is nothing else to export."""
    session, _membership = get_member_session_or_404(request.user, pk)
    audit.record(
        AuditEventType.LIST_EXPORTED,
        actor=request.user,
        target=session,
        request=request,
        what="session_contributions",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="session-{session.pk}-contributions.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["talking point", "by", "organisation", "sector", "contribution"])
    contributions = (
        Contribution.objects.shown()
        .filter(session=session)
        .select_related("agenda_item__talking_point")
        .order_by("agenda_item__position", "pk")
    )
    for c in contributions.iterator():
        writer.writerow(
            [
                str(c.agenda_item.talking_point),
                "Anonymous" if c.is_anonymous else c.author_name,
                c.organisation_name,
                c.sector,
                _csv_safe(c.text),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheet programs treating a contribution as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
