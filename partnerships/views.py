"""Pages about people, places, organisations, commissioners and forums."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hls_forum.http import safe_next

from . import permissions, services
from .forms import (
    CommissionerProfileForm,
    ForumForm,
    ForumInviteForm,
    ForumJoinRequestForm,
    OrganisationInviteForm,
)
from .models import (
    CommissionerProfile,
    Forum,
    ForumJoinRequest,
    Invitation,
    Organisation,
    Place,
    RequestStatus,
)
from .types import AuthenticatedRequest


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    places = Place.objects.annotate(
        organisation_count=Count("organisations", distinct=True),
        forum_count=Count("forums", distinct=True),
    )
    return render(request, "partnerships/place_list.html", {"places": places})


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.prefetch_related("places"), slug=slug)
    is_member = permissions.is_member(request.user, organisation)
    can_administer = permissions.can_administer_organisation(request.user, organisation)
    context: dict[str, Any] = {
        "organisation": organisation,
        "is_member": is_member,
        "can_administer": can_administer,
        "commissioners": organisation.commissioners.select_related("user"),
    }
    # Who works where is shared only with colleagues.
    if is_member:
        context["members"] = Paginator(
            organisation.memberships.select_related("user").order_by("user__full_name", "pk"),
            settings.PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    if can_administer:
        context["invite_form"] = OrganisationInviteForm()
        context["pending_invitations"] = organisation.invitations.filter(
            accepted_at__isnull=True
        ).order_by("-created_at")[: settings.PAGE_SIZE]
    return render(request, "partnerships/organisation_detail.html", context)


@require_GET
def commissioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(
        CommissionerProfile.objects.select_related("user", "organisation").prefetch_related(
            "specialisms", "places"
        ),
        pk=pk,
    )
    return render(request, "partnerships/commissioner_detail.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "forum", "invited_by"),
        token=token,
        accepted_at__isnull=True,
    )
    error = ""
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.InvitationError as exc:
            error = str(exc)
        else:
            messages.success(request, f"You have joined {invitation.target}.")
            return redirect(invitation.target.get_absolute_url())
    return render(
        request,
        "partnerships/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=400 if error else 200,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A clear page for oversized or malformed requests (Django's default is a bare 400)."""
    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    return render(request, "400.html", {"too_big": too_big}, status=400)


# --- Organisation people: invite and remove -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    permissions.require_organisation_admin(request.user, organisation)
    form = OrganisationInviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            invitation = services.organisation_invitation_create(
                invited_by=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"We have emailed an invitation to {invitation.email}.")
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "partnerships/organisation_invite.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    permissions.require_organisation_admin(request.user, organisation)
    membership = get_object_or_404(organisation.memberships.select_related("user"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, removed_by=request.user)
        except services.MembershipError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{membership.user} is no longer in {organisation}.")
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "partnerships/membership_remove.html",
        {"organisation": organisation, "membership": membership, "error": error},
        status=409 if error else 200,
    )


# --- Forums: join, decide, invite, leave, reminders, edit --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forum_join(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    permissions.require_can_ask_to_join(request.user, forum)
    if permissions.is_forum_member(request.user, forum):
        messages.info(request, f"You are already a member of {forum}.")
        return redirect(forum.get_absolute_url())
    pending = ForumJoinRequest.objects.filter(
        forum=forum, user=request.user, status=RequestStatus.PENDING
    ).first()
    form = ForumJoinRequestForm(request.POST if request.method == "POST" else None)
    if pending is None and form.is_bound and form.is_valid():
        try:
            services.forum_join_request_create(
                forum=forum, user=request.user, message=form.cleaned_data["message"]
            )
        except services.ForumError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"You have asked to join {forum}. Its facilitator will reply; when they "
                "accept, the forum appears on your home page.",
            )
            return redirect(forum.get_absolute_url())
    return render(
        request,
        "partnerships/forum_join.html",
        {"forum": forum, "form": form, "pending": pending},
    )


@login_required
@require_POST
def join_request_decide(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    permissions.require_facilitator(request.user, forum)
    join_request = get_object_or_404(forum.join_requests.select_related("user"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in {"accept", "decline"}:
        return bad_request(request)
    try:
        services.forum_join_request_decide(
            join_request=join_request, decided_by=request.user, accept=decision == "accept"
        )
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        if decision == "accept":
            messages.success(request, f"{join_request.user} has joined {forum}.")
        else:
            messages.success(request, f"You declined {join_request.user}'s request.")
    return redirect(safe_next(request, forum.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def forum_invite(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    permissions.require_facilitator(request.user, forum)
    form = ForumInviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            invitation = services.forum_invitation_create(
                invited_by=request.user, forum=forum, email=form.cleaned_data["email"]
            )
        except services.InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"We have emailed an invitation to {invitation.email}.")
            return redirect(forum.get_absolute_url())
    return render(request, "partnerships/forum_invite.html", {"forum": forum, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def forum_leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    membership = permissions.require_forum_membership(request.user, forum)
    error = ""
    if request.method == "POST":
        try:
            services.forum_leave(membership=membership)
        except services.ForumError as exc:
            error = str(exc)
        else:
            messages.success(request, f"You have left {forum}.")
            return redirect(forum.get_absolute_url())
    return render(
        request,
        "partnerships/forum_leave.html",
        {"forum": forum, "error": error},
        status=409 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    permissions.require_facilitator(request.user, forum)
    # The form edits its own copy, so a refused edit never shows as if it were saved.
    editable = Forum.objects.get(pk=forum.pk)
    form = ForumForm(request.POST if request.method == "POST" else None, instance=editable)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, f"The details of {forum} are saved.")
        return redirect(forum.get_absolute_url())
    return render(request, "partnerships/forum_edit.html", {"forum": forum, "form": form})


# --- Commissioner profile ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def commissioner_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(
        CommissionerProfile.objects.select_related("user", "organisation"), pk=pk
    )
    permissions.require_commissioner_profile_owner(request.user, profile)
    form = CommissionerProfileForm(
        request.POST if request.method == "POST" else None,
        instance=CommissionerProfile.objects.get(pk=profile.pk),
    )
    if form.is_bound and form.is_valid():
        services.commissioner_profile_update(profile=profile, data=form.cleaned_data)
        messages.success(request, "Your public profile is saved.")
        return redirect(profile.get_absolute_url())
    return render(
        request, "partnerships/commissioner_edit.html", {"profile": profile, "form": form}
    )


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Stands in for Django admin's own login form, which would take a password without
    allauth's rate limits or two-step check. Everyone signs in through allauth; staff are
    then sent on, and anyone else is told plainly that admin is not for them.

    Unlike allauth's ``secure_admin_login``, it never hands a signed-in person to admin's
    form, which would let them switch to another (staff) account with a password alone.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied("The site administration is only for site staff.")
    return redirect(safe_next(request, reverse("admin:index")))
