"""One learning entry: reading, writing, sharing, consent for stories and connections."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships.models import Place, User
from partnerships.types import AuthenticatedRequest
from privacy import audit
from privacy.models import AuditEventType

from ... import permissions, services
from ...forms import (
    LearningEntryForm,
    LinkForm,
    ReplyForm,
    ReviewForm,
    ShareForm,
    StoryConsentForm,
)
from ...models import (
    Decision,
    LearningEntry,
    LearningKind,
    LearningLink,
    Review,
    ReviewRead,
    Session,
    StoryConsent,
    Visibility,
)

LINK_CHOICES_LIMIT = 100


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = permissions.get_entry_or_404(user, pk)
    can_edit = permissions.can_edit_entry(user, entry)
    can_review = permissions.can_review_entry(user, entry)
    # Each linked entry is checked by key (visible_at), not against every entry the reader
    # may see.
    visible_other = LearningEntry.objects.visible_at(user, "other_entry_id")
    links_out = (
        entry.links.filter(Q(other_entry__isnull=True) | Q(visible_other))
        .select_related("session__forum", "decision__session__forum", "other_entry__organisation")
        .order_by("created_at", "pk")
    )
    links_in = (
        LearningLink.objects.filter(LearningEntry.objects.visible_at(user, "entry_id"))
        .filter(other_entry=entry)
        .select_related("entry__organisation")
        .order_by("created_at", "pk")
    )
    # Responses are a conversation between the organisation and the commissioner who wrote
    # each one; nobody else sees them.
    threads = Review.objects.none()
    if can_edit:
        threads = entry.reviews.filter(in_reply_to__isnull=True)
    elif user.is_authenticated:
        threads = entry.reviews.filter(in_reply_to__isnull=True, author=user)
    threads = threads.select_related("author").prefetch_related(
        Prefetch("replies", queryset=Review.objects.select_related("author"))
    )
    consent = StoryConsent.objects.filter(entry=entry).first() if entry.is_story else None
    if entry.is_story and (user.is_staff or getattr(user, "is_commissioner", False)):
        # Every time a commissioner or staff member opens a story of change: the trail
        # shows who read a person's story.
        audit.record(AuditEventType.STORY_OPENED, actor=user, target=entry, request=request)
    context = {
        "entry": entry,
        "can_edit": can_edit,
        "can_review": can_review,
        "is_read": can_review
        and ReviewRead.objects.filter(entry=entry, user=cast(User, user)).exists(),
        "tags": list(entry.tags.all()),
        "changes": entry.visibility_changes.select_related("changed_by"),
        "consent": consent,
        "links_out": links_out,
        "links_in": links_in,
        "threads": threads,
        "shows_decision_text": user.is_authenticated
        and Place.objects.in_partnership_of(user).filter(pk=entry.place_id).exists(),
        "review_form": ReviewForm() if can_review else None,
        "share_form": ShareForm(entry=entry) if can_edit else None,
        "reply_form": ReplyForm(),
    }
    return render(request, "talking_points/learning/entry_detail.html", context)


def _entry_form_parts(
    request: HttpRequest, place: Place, entry: LearningEntry | None = None
) -> tuple[LearningEntryForm, StoryConsentForm | None]:
    data = request.POST if request.method == "POST" else None
    consent_form = None if entry is not None else StoryConsentForm(data, prefix="consent")
    initial = {}
    if entry is None and request.GET.get("kind") in LearningKind.values:
        initial["kind"] = request.GET["kind"]
    form = LearningEntryForm(
        data,
        instance=entry,
        initial=initial,
        place=place,
        organisations=permissions.writable_organisations(request.user, place),
        consent_form=consent_form,
    )
    return form, consent_form


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    permissions.require_can_write_in_place(request.user, place)
    form, consent_form = _entry_form_parts(request, place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = None
        if data["kind"] == LearningKind.STORY and consent_form and consent_form.has_changed():
            consent = {k: consent_form.cleaned_data[k] for k in consent_form.Meta.fields}
        try:
            entry = services.entry_create(
                author=request.user,
                place=place,
                organisation=data["organisation"],
                fields=data,
                visibility=data["visibility"],
                tag_names=data["tags_text"],
                consent=consent,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your learning entry is saved.")
            return redirect(entry)
    context = {
        "place": place,
        "form": form,
        "consent_form": _consent_form_to_show(form, consent_form),
        "entry": None,
    }
    return render(request, "talking_points/learning/entry_form.html", context)


def _consent_form_to_show(
    form: LearningEntryForm, consent_form: StoryConsentForm | None
) -> StoryConsentForm | None:
    """The consent form as checked, for a story whose consent was filled in; otherwise an
    empty one: for other kinds its fields are ignored, so they show no errors either."""
    if consent_form is None or not consent_form.is_bound:
        return consent_form
    if form.data.get("kind") == LearningKind.STORY and consent_form.has_changed():
        return consent_form
    return StoryConsentForm(prefix="consent")


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_edit_entry(request.user, entry)
    form, _ = _entry_form_parts(request, entry.place, entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_update(
                entry=entry,
                by=request.user,
                fields=data,
                visibility=data["visibility"],
                tag_names=data["tags_text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(entry)
    context = {"place": entry.place, "form": form, "consent_form": None, "entry": entry}
    return render(request, "talking_points/learning/entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_edit_entry(request.user, entry)
    if request.method == "POST":
        place = entry.place
        services.entry_delete(entry=entry, by=request.user)
        messages.success(request, f"“{entry.title}” is deleted.")
        return redirect("talking_points:learning_log", slug=place.slug)
    return render(request, "talking_points/learning/entry_delete.html", {"entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def entry_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_edit_entry(request.user, entry)
    form = ShareForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_share(
                entry=entry, by=request.user, visibility=form.cleaned_data["visibility"]
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            label = Visibility(form.cleaned_data["visibility"]).label
            messages.success(request, f"Who can see this entry: {label}.")
            return redirect(entry)
    return render(
        request, "talking_points/learning/entry_share.html", {"entry": entry, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_edit_entry(request.user, entry)
    if not entry.is_story:
        raise PermissionDenied("Only stories of change record consent.")
    existing = StoryConsent.objects.filter(entry=entry).first()
    form = StoryConsentForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.story_consent_record(
            entry=entry,
            by=request.user,
            consent={k: form.cleaned_data[k] for k in StoryConsentForm.Meta.fields},
        )
        messages.success(request, "Consent is recorded.")
        return redirect(entry)
    return render(
        request, "talking_points/learning/consent_form.html", {"entry": entry, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_edit_entry(request.user, entry)
    consent = StoryConsent.objects.filter(entry=entry, withdrawn_at__isnull=True).first()
    if consent is None:
        raise PermissionDenied("This story has no consent to withdraw.")
    if request.method == "POST":
        services.story_consent_withdraw(entry=entry, by=request.user)
        messages.success(
            request, "Consent is withdrawn. The story is now seen by your organisation only."
        )
        return redirect(entry)
    return render(
        request,
        "talking_points/learning/consent_withdraw.html",
        {"entry": entry, "consent": consent},
    )


def _link_form(request: HttpRequest, entry: LearningEntry) -> LinkForm:
    entries = (
        LearningEntry.objects.visible_to(request.user)
        .filter(place_id=entry.place_id)
        .exclude(pk=entry.pk)
        .select_related("organisation")
    )
    # Only what the person may read: a members-only or planned session of a forum they are
    # not in is not offered, named or accepted.
    sessions = (
        Session.objects.visible_to(request.user)
        .filter(forum__place_id=entry.place_id)
        .select_related("forum")
    )
    decisions = (
        Decision.objects.visible_to(request.user)
        .filter(session__forum__place_id=entry.place_id)
        .select_related("session__forum")
    )
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        entries=entries,
        sessions=sessions,
        decisions=decisions,
    )
    # Offer the newest few; validation still accepts any the person may see in this place.
    empty = [("", "(none)")]
    form.fields["other_entry"].widget.choices = empty + [
        (e.pk, f"{e.title} ({e.organisation.name}, {e.get_kind_display().lower()})")
        for e in entries[:LINK_CHOICES_LIMIT]
    ]
    form.fields["session"].widget.choices = empty + [
        (s.pk, str(s)) for s in sessions[:LINK_CHOICES_LIMIT]
    ]
    form.fields["decision"].widget.choices = empty + [
        (d.pk, f"{d.text[:80]} ({d.session})") for d in decisions[:LINK_CHOICES_LIMIT]
    ]
    return form


@login_required
@require_http_methods(["GET", "POST"])
def entry_link_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = permissions.get_entry_or_404(request.user, pk)
    permissions.require_can_edit_entry(request.user, entry)
    form = _link_form(request, entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = {k: data[k] for k in ("other_entry", "session", "decision") if data.get(k)}
        services.entry_link_add(
            entry=entry, by=request.user, relation=data["relation"], target=target
        )
        messages.success(request, "The connection is saved.")
        return redirect(entry)
    return render(request, "talking_points/learning/link_form.html", {"entry": entry, "form": form})


@login_required
@require_POST
def entry_link_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        LearningLink.objects.filter(LearningEntry.objects.visible_at(request.user, "entry_id")),
        pk=pk,
    )
    services.entry_link_remove(link=link, by=request.user)
    messages.success(request, "The connection is removed.")
    return redirect(link.entry)
