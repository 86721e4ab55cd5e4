"""A place's learning log and what is made from it: side by side, CSV, print, the public
feed; and search across places."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from hls_forum.spreadsheet import csv_cell
from hls_forum.types import HtmxRequest
from partnerships.models import Membership, Place
from privacy import audit
from privacy.models import AuditEventType
from talking_points.templatetags.picture import prefetch_terms

from ...forms import (
    ALL_PLACES,
    LearningFilterForm,
    SearchForm,
)
from ...models import (
    LearningEntry,
    LearningKind,
)
from ...pagination import (
    BadCursor,
    Fetch,
    KeysetPage,
    keyset_page,
    queryset_fetch,
)
from ...rendering import plain_text, render_markdown

LOG_TEMPLATE = "talking_points/learning/log.html"
PRINT_PAGE_SIZE = 100
COMPARE_LIMIT = 20


# --- Helpers ------------------------------------------------------------------------


PAGE_POSITION = ("page", "newer", "older")


def filters_query(request: HttpRequest, drop: tuple[str, ...] = PAGE_POSITION) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


def requested_page(
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


def _filters_key(request: HttpRequest, form: LearningFilterForm) -> str:
    """Everything the filter form's HTML is drawn from: its choices (the place's
    organisations, public and the same for every reader) and the query string it is bound
    to. The rendered fields are cached under it (``log.html``): the same for everyone."""
    organisations = list(form.organisations)  # read once; the form reuses the rows
    drawn_from = repr((organisations, sorted(request.GET.lists())))
    return hashlib.sha256(drawn_from.encode()).hexdigest()


@require_GET
def learning_log(request: HtmxRequest, slug: str) -> HttpResponse:
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
    page, bad_cursor = requested_page(request, [("", queryset_fetch(entries.for_lists()))])
    query_string = filters_query(request)
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
        "filters_key": _filters_key(request, form),
    }
    template = f"{LOG_TEMPLATE}#results" if request.htmx else LOG_TEMPLATE
    return render(request, template, context, status=400 if bad_cursor else 200)


@require_GET
def learning_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Breakthroughs and disappointments side by side: "conversations about breakthroughs,
    as well as disappointments"."""
    place = get_object_or_404(Place, slug=slug)
    form, entries, valid = _filtered_entries(request, place)
    breakthroughs = entries.filter(kind=LearningKind.BREAKTHROUGH).for_lists()
    disappointments = entries.filter(kind=LearningKind.DISAPPOINTMENT).for_lists()
    filters = filters_query(request, drop=("page", "kind"))
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
                    csv_cell(value)
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
        "query_string": filters_query(request),
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
def learning_search(request: HtmxRequest) -> HttpResponse:
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
        page, bad_cursor = requested_page(request, [("", queryset_fetch(entries.for_lists()))])
    context = {
        "form": form,
        "words": words,
        "page_obj": page,
        "bad_cursor": bad_cursor,
        "in_your_places": in_your_places,
        "query_string": filters_query(request),
        "full_text": _uses_postgres(),
    }
    template = "talking_points/learning/search.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        context,
        status=400 if bad_cursor else 200,
    )


def _uses_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
