"""Learning logs: write, share, read, search, review, connect and take away learning.

Every read starts from ``LearningEntry.objects.visible_to(user)``; an entry a person may
not see is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships.models import Membership, Place, User, covered_place_ids
from partnerships.types import AuthenticatedRequest
from privacy import audit
from privacy.models import AuditEventType

from . import permissions, services
from .forms import (
    ALL_PLACES,
    LearningEntryForm,
    LearningFilterForm,
    LinkForm,
    ReplyForm,
    ReviewForm,
    SearchForm,
    ShareForm,
    StoryConsentForm,
)
from .models import (
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
from .pagination import (
    BadCursor,
    Fetch,
    KeysetPage,
    keyset_page,
    per_place_fetch,
    queryset_fetch,
)
from .rendering import plain_text, render_markdown
from .templatetags.picture import prefetch_terms

LOG_TEMPLATE = "talking_points/learning/log.html"
PRINT_PAGE_SIZE = 100
COMPARE_LIMIT = 20
LINK_CHOICES_LIMIT = 100


# --- Helpers ------------------------------------------------------------------------


PAGE_POSITION = ("page", "newer", "older")


def _query_string(request: HttpRequest, drop: tuple[str, ...] = PAGE_POSITION) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


def _keyset_page(
    request: HttpRequest, segments: list[tuple[str, Fetch]]
) -> tuple[KeysetPage, bool]:
    """The page the URL's ``newer``/``older`` asks for, and whether that cursor was broken
    (then the page is empty and the view answers 400 with a way back to the start)."""
    try:
        page = keyset_page(
            segments,
            newer=request.GET.get("newer"),
            older=request.GET.get("older"),
            size=settings.PAGE_SIZE,
        )
    except BadCursor:
        return KeysetPage(entries=[]), True
    return page, False


def _is_htmx(request: HttpRequest) -> bool:
    """django-htmx's middleware sets ``request.htmx``; a boosted link counts too."""
    return bool(getattr(request, "htmx", False))


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _filtered_entries(request: HttpRequest, place: Place) -> tuple[LearningFilterForm, Any, bool]:
    """The place's entries the reader may see, narrowed by the filters in the URL.

    Returns the form, the queryset and whether the filters were valid (when not, the list is
    empty and the form shows what to fix).
    """
    visible = LearningEntry.objects.visible_to(request.user).filter(place=place)
    organisations = place.organisations.order_by("name").values_list("pk", "slug", "name")
    form = LearningFilterForm(request.GET or None, organisations=organisations)
    if not request.GET:
        return form, visible, True
    if not form.is_valid():
        return form, visible.none(), False
    data = form.cleaned_data
    entries = visible
    if data["kind"]:
        entries = entries.filter(kind=data["kind"])
    if data["organisation"]:
        entries = entries.filter(organisation_id=data["organisation"])
    if data["tag"]:
        # Compared only with entries the reader may see: an unknown or private tag simply
        # matches nothing, exactly like a tag nobody used.
        entries = entries.filter(tags__slug=data["tag"])
    # Whole days in the current time zone, as a range on created_at (which an index serves).
    if data["date_from"]:
        entries = entries.filter(created_at__gte=_start_of(data["date_from"]))
    if data["date_to"]:
        entries = entries.filter(created_at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    if data["q"]:
        entries = entries.search(data["q"])
    return form, entries, True


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- A place's learning log ------------------------------------------------------------


@require_GET
def learning_log(request: HttpRequest, slug: str) -> HttpResponse:
    """A place's log, newest first, a page at a time by position (``?older=``/``?newer=``),
    never by page number: no page needs a count or an offset."""
    user: Any = request.user
    place = get_object_or_404(
        Place.objects.annotate(
            can_write=Exists(
                Membership.objects.filter(user_id=user.pk, organisation__places=OuterRef("pk"))
            )
        ),
        slug=slug,
    )
    form, entries, valid = _filtered_entries(request, place)
    page, bad_cursor = _keyset_page(request, [("", queryset_fetch(entries.for_lists()))])
    query_string = _query_string(request)
    context = {
        "place": place,
        "form": form,
        "filters_valid": valid,
        "filtered": bool(query_string),
        "page_obj": page,
        "entries": page.entries,
        "bad_cursor": bad_cursor,
        "query_string": query_string,
        "can_write": place.can_write,  # type: ignore[attr-defined]
    }
    template = f"{LOG_TEMPLATE}#results" if _is_htmx(request) else LOG_TEMPLATE
    return render(request, template, context, status=400 if bad_cursor else 200)


@require_GET
def learning_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Breakthroughs and disappointments side by side: "conversations about breakthroughs,
    as well as disappointments"."""
    place = get_object_or_404(Place, slug=slug)
    form, entries, valid = _filtered_entries(request, place)
    breakthroughs = entries.filter(kind=LearningKind.BREAKTHROUGH).for_lists()
    disappointments = entries.filter(kind=LearningKind.DISAPPOINTMENT).for_lists()
    filters = _query_string(request, drop=("page", "kind"))
    context = {
        "place": place,
        "form": form,
        "filters_valid": valid,
        "breakthroughs": list(breakthroughs[:COMPARE_LIMIT]),
        "disappointments": list(disappointments[:COMPARE_LIMIT]),
        "limit": COMPARE_LIMIT,
        "breakthroughs_query": urlencode([("kind", "breakthrough")])
        + (f"&{filters}" if filters else ""),
        "disappointments_query": urlencode([("kind", "disappointment")])
        + (f"&{filters}" if filters else ""),
    }
    return render(request, "talking_points/learning/compare.html", context)


def _csv_cell(value: Any) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def learning_export_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Every entry of the place the reader may see (with the log's filters), as CSV."""
    place = get_object_or_404(Place, slug=slug)
    form, entries, valid = _filtered_entries(request, place)
    if not valid:
        return render(
            request,
            LOG_TEMPLATE,
            {"place": place, "form": form, "filters_valid": False, "filtered": True},
            status=400,
        )
    writer = csv.writer(_Echo())
    header = [
        "Written on",
        "Kind",
        "Title",
        "Organisation",
        "Who can see it",
        "Tags",
        "What we want to say",
        "What we tried",
        "What happened",
        "What we learned",
        "What next",
        "Experiment status",
        "Review date",
        "Link",
    ]

    def rows() -> Iterator[str]:
        yield writer.writerow(header)
        for entry in entries.for_lists().iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_cell(value)
                    for value in (
                        timezone.localtime(entry.created_at, place.tz).strftime("%Y-%m-%d %H:%M"),
                        entry.get_kind_display(),
                        entry.title,
                        entry.organisation.name,
                        entry.visibility_short,
                        ", ".join(t.name for t in entry.tags.all()),
                        plain_text(entry.body),
                        plain_text(entry.tried),
                        plain_text(entry.happened),
                        plain_text(entry.learned),
                        plain_text(entry.next_steps),
                        entry.get_experiment_status_display(),
                        entry.review_date.isoformat() if entry.review_date else "",
                        settings.SITE_URL + entry.get_absolute_url(),
                    )
                ]
            )

    if request.user.is_authenticated:  # a visitor can only ever export public entries
        audit.record(
            AuditEventType.LIST_EXPORTED,
            actor=request.user,
            target=place,
            request=request,
            what="learning_entries",
            filtered=bool(request.GET),
        )
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"{place.slug}-learning-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def learning_print(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    form, entries, valid = _filtered_entries(request, place)
    page = Paginator(entries.for_lists(), PRINT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Each entry explains its place's terms: fetch the glossary once, not once per entry.
    prefetch_terms(entry.place for entry in page.object_list)
    context = {
        "place": place,
        "form": form,
        "filters_valid": valid,
        "page_obj": page,
        "query_string": _query_string(request),
        "printed_at": timezone.now(),
    }
    return render(request, "talking_points/learning/print.html", context)


class PublicLearningFeed(Feed):
    """An Atom feed of a place's public learning (what anyone, signed in or not, may see)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Place:
        return get_object_or_404(Place, slug=slug)

    def title(self, obj: Place) -> str:
        return f"Learning shared publicly in {obj.name} – HLS Forum"

    def link(self, obj: Place) -> str:
        return reverse("talking_points:learning_log", kwargs={"slug": obj.slug})

    def subtitle(self, obj: Place) -> str:
        return f"What organisations in {obj.name} have chosen to share with everyone."

    def items(self, obj: Place) -> list[LearningEntry]:
        return list(LearningEntry.objects.visible_to(None).filter(place=obj).for_lists()[:50])

    def item_title(self, item: LearningEntry) -> str:
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item: LearningEntry) -> str:
        parts = []
        for label, source in (
            ("", item.body),
            ("What we tried", item.tried),
            ("What happened", item.happened),
            ("What we learned", item.learned),
            ("What next", item.next_steps),
        ):
            if source:
                heading = f"<h3>{label}</h3>" if label else ""
                parts.append(heading + render_markdown(source))
        return "".join(parts)

    def item_link(self, item: LearningEntry) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: LearningEntry) -> Any:
        return item.created_at

    def item_updateddate(self, item: LearningEntry) -> Any:
        return item.updated_at

    def item_author_name(self, item: LearningEntry) -> str:
        return item.organisation.name

    def item_categories(self, item: LearningEntry) -> list[str]:
        return [t.name for t in item.tags.all()]


learning_feed = require_GET(PublicLearningFeed())


# --- Search ----------------------------------------------------------------------------


@require_GET
def learning_search(request: HttpRequest) -> HttpResponse:
    """Full-text search of what the reader may see, newest first, a page at a time by
    position. By default only the reader's own places: the full-text index and the place
    index together then read a few hundred rows, not every match in the country."""
    user = request.user
    places = (
        list(Place.objects.in_partnership_of(user).order_by("name"))
        if user.is_authenticated
        else []
    )
    form = SearchForm(request.GET or None, places=places)
    page, bad_cursor = None, False
    words = ""
    in_your_places = False
    if form.is_valid() and form.cleaned_data["q"].strip():
        words = form.cleaned_data["q"].strip()
        entries = LearningEntry.objects.visible_to(user).search(words)
        where = form.cleaned_data["place"]
        if where and where != ALL_PLACES:
            entries = entries.filter(place__slug=where)
        elif not where and places:
            in_your_places = True
            entries = entries.filter(place_id__in=[p.pk for p in places])
        page, bad_cursor = _keyset_page(request, [("", queryset_fetch(entries.for_lists()))])
    context = {
        "form": form,
        "words": words,
        "page_obj": page,
        "bad_cursor": bad_cursor,
        "in_your_places": in_your_places,
        "query_string": _query_string(request),
        "full_text": _uses_postgres(),
    }
    template = "talking_points/learning/search.html"
    return render(
        request,
        f"{template}#results" if _is_htmx(request) else template,
        context,
        status=400 if bad_cursor else 200,
    )


def _uses_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# --- One entry ---------------------------------------------------------------------------


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = permissions.get_entry_or_404(user, pk)
    can_edit = permissions.can_edit_entry(user, entry)
    can_review = permissions.can_review_entry(user, entry)
    visible = LearningEntry.objects.visible_to(user)
    links_out = (
        entry.links.filter(Q(other_entry__isnull=True) | Q(other_entry__in=visible))
        .select_related("session__forum", "decision__session__forum", "other_entry__organisation")
        .order_by("created_at", "pk")
    )
    links_in = (
        LearningLink.objects.filter(other_entry=entry, entry__in=visible)
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
        # Every time a commissioner or staff member opens a story of change (issue 7, 6).
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
    context = {"place": place, "form": form, "consent_form": consent_form, "entry": None}
    return render(request, "talking_points/learning/entry_form.html", context)


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
        LearningLink.objects.filter(entry__in=LearningEntry.objects.visible_to(request.user)),
        pk=pk,
    )
    services.entry_link_remove(link=link, by=request.user)
    messages.success(request, "The connection is removed.")
    return redirect(link.entry)


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
    page, bad_cursor = _keyset_page(request, segments)
    for entry in page:
        entry.is_read = page.segment_of(entry) == READ_SEGMENT
    context = {
        "page_obj": page,
        "show_all": show_all,
        "bad_cursor": bad_cursor,
        "query_string": _query_string(request),
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
    return HttpResponseRedirect(_safe_next(request, entry.get_absolute_url()))


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
    visible = LearningEntry.objects.visible_to(request.user)
    review = get_object_or_404(
        Review.objects.filter(entry__in=visible, in_reply_to__isnull=True).select_related(
            "entry", "entry__organisation", "entry__place", "author"
        ),
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
        Decision.objects.filter(
            session__in=Session.objects.visible_to(request.user)
        ).select_related("session", "session__forum", "session__forum__place"),
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
