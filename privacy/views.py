"""A person's data rights (a copy, erasure), the staff security log, the privacy notice,
and "Stay signed in" for the idle sign-out warning."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hls_forum.middleware import session_keep_alive
from hls_forum.types import HtmxRequest

from . import audit, registry, services
from .forms import AccountDeleteForm, AuditSearchForm
from .models import AuditEvent, AuditEventType, DataExport


class AuthenticatedRequest(HtmxRequest):
    """A request behind ``@login_required``. Privacy sits below the app that defines the
    user model (``settings.AUTH_USER_MODEL``), so it cannot name its type."""

    user: Any


RETENTION_LABELS = {
    "audit_events": "Security log (sign-ins, changes to accounts and roles)",
    "export_files": "Copies of your data that you asked for",
    "unaccepted_invitations": "Invitations nobody accepted",
    "decided_join_requests": "Requests to join a forum, once answered",
    "stories_of_change": "Stories of change told by people who use services",
    "delivery_logs": "Records of automatic emails sent",
}


def retention_period(days: int | None) -> str:
    if days is None:
        return "until it is deleted"
    if days and days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def _retention_rows() -> list[dict[str, Any]]:
    return [
        {
            "category": category,
            "label": RETENTION_LABELS.get(category, category.replace("_", " ").capitalize()),
            "period": retention_period(days),
        }
        for category, days in settings.PRIVACY_RETENTION.items()
    ]


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    context = {
        "retention": _retention_rows(),
        "sections": registry.export_sections(),
        "erasure_steps": registry.erasure_steps(),
    }
    return render(request, "privacy.html", context)


# --- Your data: a copy, and erasure ---------------------------------------------------


@login_required
@require_GET
def data_overview(request: AuthenticatedRequest) -> HttpResponse:
    """One page, one template: htmx polls the export status fragment of this same view."""
    export = DataExport.objects.filter(user=request.user).first()
    context = {
        "export": export,
        "downloadable": export is not None and export.is_downloadable(),
        "sections": registry.export_sections(),
    }
    if request.htmx:
        return render(request, "privacy/data.html#export_status", context)
    return render(request, "privacy/data.html", context)


@login_required
@require_POST
def export_request(request: AuthenticatedRequest) -> HttpResponse:
    try:
        services.export_request(user=request.user, request=request)
    except services.ExportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "We are preparing a copy of your data. It usually takes under a minute."
        )
    return redirect("privacy:data")


@login_required
@require_GET
def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    # Only the owner's own copies are found at all: anyone else's is a 404.
    export = get_object_or_404(DataExport, pk=pk, user=request.user)
    if not export.is_downloadable():
        return render(request, "privacy/export_gone.html", {"export": export}, status=410)
    audit.record(AuditEventType.EXPORT_DOWNLOADED, actor=request.user, target=export)
    filename = f"hls-forum-your-data-{export.finished_at or timezone.now():%Y-%m-%d}.zip"
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    """Confirm, re-authenticate (allauth, if not done in the last few minutes), erase."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.account_erase(user=request.user, request=request)
        logout(request)
        messages.success(request, "Your account has been deleted. Thank you for taking part.")
        return redirect("home")
    context = {
        "form": form,
        "erasure_steps": registry.erasure_steps(),
        "warnings": registry.erasure_warnings(request.user),
    }
    status = 400 if form.errors else 200
    return render(request, "privacy/account_delete.html", context, status=status)


# --- Staff: the security log ---------------------------------------------------------------


def _resolve_person(value: str) -> int | None:
    if value.startswith("#") and value[1:].isdigit() and len(value) < 20:
        return int(value[1:])
    person = get_user_model().objects.filter(email__iexact=value).only("pk").first()
    return person.pk if person else None


@login_required
@require_GET
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only site staff can read the security log.")
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.all()
    searched_person_missing = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["event"]:
            events = events.filter(event=data["event"])
        if data["person"]:
            person_id = _resolve_person(data["person"])
            if person_id is None:
                searched_person_missing = True
                events = events.none()
            else:
                events = events.about(person_id)
        if data["ip"]:
            events = events.filter(ip=data["ip"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=tz)
            events = events.filter(occurred_at__gte=start)
        if data["date_to"]:
            end = datetime.datetime.combine(data["date_to"], datetime.time.max, tzinfo=tz)
            events = events.filter(occurred_at__lte=end)
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    ids = {i for e in page for i in (e.actor_id, e.subject_user_id) if i}
    people = get_user_model().objects.in_bulk(ids) if ids else {}
    for event in page:
        event.actor = people.get(event.actor_id) if event.actor_id else None  # type: ignore[attr-defined]
        event.subject = people.get(event.subject_user_id) if event.subject_user_id else None  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "query_string": query.urlencode(),
        "searched_person_missing": searched_person_missing,
    }
    return render(request, "privacy/audit_log.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def stay_signed_in(request: AuthenticatedRequest) -> HttpResponse:
    """The idle warning's "Stay signed in": restart the idle clock. The page's script asks
    for JSON (the seconds it now has); a plain form post goes back to the page."""
    seconds_left = session_keep_alive(request)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"seconds_left": seconds_left})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)  # a URL, never a view name to reverse
    return redirect(settings.LOGIN_REDIRECT_URL)
