"""The session page, planned, live or closed, and the live page's poll."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import quote_etag
from django.views.decorators.http import (
    condition,
    require_GET,
)

from hls_forum.types import HtmxRequest
from partnerships.models import ForumMembership, ForumRole

from ... import forms, services
from ...models import (
    Session,
    SessionStatus,
    TalkingPoint,
)
from ...models.wellbeing import check_in_is_open
from ...permissions import (
    get_member_session_or_404,
    get_session_or_404,
    session_membership,
)

POLL_SECONDS = 2
# The live page's agenda, what was said, attendance and actions are the same for every member
# (facilitators apart: they also see hidden contributions) at a given ``Session.version``,
# which the database moves on every write to the session and the rows it holds (database
# triggers, see the migration that adds them); so they are cached by that version. The time
# only bounds how long an old version's copy lingers.
LIVE_CACHE_SECONDS = 600


# --- The session page: planned, live or closed --------------------------------------------


def live_context(
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
        "closed": session.is_closed,
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


def session_page(
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
        return summary_page(request, session, membership, status=status, **forms_override)
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
    context = live_context(request, session, membership)
    context["check_in_open"] = check_in_open
    context["contribution_form"] = forms_override.get("contribution_form") or new_contribution_form(
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


def new_contribution_form(context: dict[str, Any]) -> forms.ContributionForm:
    current = context.get("current")
    return forms.ContributionForm(initial={"agenda_item": current.item.pk if current else None})


def summary_page(
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
    membership = session_membership(request.user, session)
    if membership is None and not session.is_closed:  # visible_to never allows this
        raise Http404("No such session")
    return session_page(request, session, membership)


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


def live_state_response(
    request: HttpRequest, session: Session, membership: ForumMembership, **extra: Any
) -> HttpResponse:
    """The live page's changing regions (``#live-state``, and out of band ``#live-said``,
    ``#live-record`` and the contribution form's target), as a poll or an htmx action on the
    live page answers. Once closed, they say so (and stop polling) rather than moving the
    page away from someone who may be typing."""
    with timezone.override(session.forum.place.tz):
        # Labelled with the version read with what it shows: a change made since the ETag
        # was read makes the next poll draw the region again.
        etag = _poll_tag(session.pk, session.version, membership.role, membership.user_id)
        context = live_context(request, session, membership, etag=etag)
        context.update(extra)
        response = render(request, "talking_points/sessions/session_live.html#live-state", context)
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


@require_GET
@condition(etag_func=_poll_etag)
def session_poll(request: HtmxRequest, pk: int) -> HttpResponse:
    """The live page's polled region. An unchanged one answers 304 after the ETag's one
    query (Django's ``condition``), behind the whole middleware stack: sessions, sign-in,
    two-step sign-in and session lifetimes are checked on every poll."""
    session, membership = get_member_session_or_404(request.user, pk)
    if session.is_closed and request.htmx:
        return live_state_response(request, session, membership)
    if not session.is_live:
        # Never opened (or a plain request once closed): send them to the session's page.
        return redirect(reverse("talking_points:session_detail", kwargs={"pk": pk}))
    return live_state_response(request, session, membership)
