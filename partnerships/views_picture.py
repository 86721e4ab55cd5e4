"""The place picture (issue 6): a place's dashboard, transparency register, system map,
propositions check, shared language, champions and wellbeing check-ins.

Everything here works as plain links and form posts; JavaScript only draws the system map
and scores text as it is typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST



from . import permissions, picture, services
from .forms import (
    ChampionForm,
    CommissionFilterForm,
    CommissionForm,
    GlossaryTermForm,
    MapFilterForm,
    PropositionRatingForm,
    RelationshipForm,
    WellbeingCheckInForm,
)
from .language import JARGON, flesch_reading_ease
from .types import AuthenticatedRequest
from .models import (
    Champion,
    Commission,
    CommissionerProfile,
    Forum,
    ForumMembership,
    GlossaryTerm,
    Place,
    Relationship,
    User,
)
from .templatetags.picture import prefetch_terms


def _posted(request: HttpRequest) -> Any:
    """Form data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


# --- Place dashboard --------------------------------------------------------------------


@require_GET
def place_picture(request: HttpRequest, slug: str) -> HttpResponse:
    """One screen for a place: who is here, what they fund, what they learn, how it feels.
    Public parts for everyone; decisions, actions and signals for the place's partnership.
    Everything private is read through its model's ``visible_to``; queries do not grow
    with the data."""
    from talking_points.models import LearningEntry, LearningKind

    user: Any = request.user
    place = get_object_or_404(
        Place.objects.annotate(
            in_partnership=permissions.in_partnership_expression(user),
            relationship_count=Coalesce(
                Subquery(
                    Relationship.objects.filter(place=OuterRef("pk"))
                    .order_by()
                    .values("place")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        ),
        slug=slug,
    )
    in_partnership = bool(place.in_partnership)  # type: ignore[attr-defined]
    today = timezone.localdate()
    member_ids = (
        set(
            ForumMembership.objects.filter(user=user, forum__place=place).values_list(
                "forum_id", flat=True
            )
        )
        if user.is_authenticated
        else set()
    )
    forums = list(Forum.objects.visible_to(user).filter(place=place).order_by("name", "pk"))
    for forum in forums:
        forum.place = place  # for next_meeting's time zone, without a join
        forum.is_member = forum.pk in member_ids  # type: ignore[attr-defined]
    member_forums = [f for f in forums if f.pk in member_ids]
    context: dict[str, Any] = {
        "place": place,
        "section": "dashboard",
        "in_partnership": in_partnership,
        "forums": [(forum, forum.next_meeting()) for forum in forums],
        "learning": LearningEntry.objects.visible_to(user)
        .filter(place=place, kind__in=[LearningKind.BREAKTHROUGH, LearningKind.DISAPPOINTMENT])
        .select_related("organisation")[:6],
        "commissioners": CommissionerProfile.objects.filter(places=place).select_related(
            "user", "organisation"
        ),
        "champions": Champion.objects.filter(place=place).select_related("user"),
        "register": SimpleLazyObject(
            lambda: picture.register_summary(
                Commission.objects.visible_to(user).filter(place=place)
            )
        ),
        "today": today,
    }
    if in_partnership:
        context["decisions"] = SimpleLazyObject(lambda: picture.recent_decisions(place, user=user))
        context["actions"] = SimpleLazyObject(lambda: picture.open_actions(place, user=user))
    if in_partnership and isinstance(user, User):
        context["propositions"] = SimpleLazyObject(
            lambda: picture.proposition_summaries(place, today=today, comments=False)
        )
        context["relationship_count"] = place.relationship_count  # type: ignore[attr-defined]
        context["wellbeing"] = SimpleLazyObject(
            lambda: picture.wellbeing_trends(member_forums, limit=8, words=False)
        )
    return render(request, "partnerships/picture/dashboard.html", context)


# --- Transparency register ----------------------------------------------------------------


def _filtered_commissions(request: HttpRequest) -> tuple[CommissionFilterForm, Any]:
    form = CommissionFilterForm(request.GET or None)
    commissions = Commission.objects.visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data.get("place"):
            commissions = commissions.filter(place=form.cleaned_data["place"])
        if form.cleaned_data.get("commissioner"):
            commissions = commissions.filter(commissioner=form.cleaned_data["commissioner"])
        if form.cleaned_data.get("specialism"):
            commissions = commissions.filter(specialisms=form.cleaned_data["specialism"])
    return form, commissions.distinct()


@require_GET
def commission_list(request: HttpRequest) -> HttpResponse:
    form, commissions = _filtered_commissions(request)
    commissions = commissions.select_related(
        "place", "commissioner__user", "commissioner__organisation"
    ).prefetch_related("providers", "specialisms")
    page = Paginator(commissions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    prefetch_terms(c.place for c in page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    place = form.cleaned_data.get("place") if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "page_obj": page,
        "commissions": page.object_list,
        "query_string": query.urlencode(),
        "place": place,
        "section": "register",
        "can_record": permissions.commissioner_profile(request.user) is not None,
    }
    return render(request, "partnerships/picture/commission_list.html", context)


# A cell starting with one of these would run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def commission_export(request: HttpRequest) -> StreamingHttpResponse:
    """The register as CSV, with the same filters and visibility as the page."""
    _, commissions = _filtered_commissions(request)
    commissions = commissions.select_related(
        "place", "commissioner__user", "commissioner__organisation"
    ).prefetch_related("providers", "specialisms")
    header = [
        "place",
        "what is funded",
        "why",
        "budget (GBP)",
        "starts on",
        "ends on",
        "providers",
        "specialisms",
        "how outcomes were agreed",
        "people who use services took part in design",
        "VCS organisations took part in design",
        "who else took part in design",
        "commissioner",
        "commissioner organisation",
        "public",
    ]

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for c in commissions.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_cell(v)
                    for v in [
                        c.place.name,
                        c.title,
                        c.why,
                        f"{c.budget:.2f}",
                        c.starts_on.isoformat(),
                        c.ends_on.isoformat() if c.ends_on else "",
                        "; ".join(p.name for p in c.providers.all()),
                        "; ".join(s.name for s in c.specialisms.all()),
                        c.outcomes_agreed,
                        "yes" if c.designed_with_people_using_services else "no",
                        "yes" if c.designed_with_vcs else "no",
                        c.design_participants,
                        c.commissioner.user.full_name,
                        c.commissioner.organisation.name,
                        "yes" if c.is_public else "no",
                    ]
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transparency-register.csv"'
    return response


@require_GET
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = permissions.get_commission_or_404(request.user, pk)
    context = {
        "commission": commission,
        "place": commission.place,
        "section": "register",
        "providers": commission.providers.order_by("name"),
        "specialisms": commission.specialisms.all(),
        "can_edit": permissions.can_edit_commission(request.user, commission),
    }
    return render(request, "partnerships/picture/commission_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commission_create(request: AuthenticatedRequest) -> HttpResponse:
    profile = permissions.require_commissioner(request.user)
    initial = {}
    if place_slug := request.GET.get("place"):
        initial["place"] = profile.places.filter(slug=place_slug).first()
    form = CommissionForm(_posted(request), commissioner=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        commission = services.commission_save(form=form, commissioner=profile)
        messages.success(request, f"“{commission.title}” is on the register.")
        return redirect(commission.get_absolute_url())
    return render(
        request,
        "partnerships/picture/commission_form.html",
        {"form": form, "section": "register", "place": initial.get("place")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commission_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commission = permissions.get_own_commission_or_404(request.user, pk)
    form = CommissionForm(
        _posted(request), instance=commission, commissioner=commission.commissioner
    )
    if request.method == "POST" and form.is_valid():
        services.commission_save(form=form, commissioner=commission.commissioner)
        messages.success(request, "Your changes are saved.")
        return redirect(commission.get_absolute_url())
    return render(
        request,
        "partnerships/picture/commission_form.html",
        {"form": form, "commission": commission, "place": commission.place, "section": "register"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commission_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commission = permissions.get_own_commission_or_404(request.user, pk)
    if request.method == "POST":
        place = commission.place
        commission.delete()
        messages.success(request, f"“{commission.title}” is no longer on the register.")
        return redirect(f"{reverse('partnerships:commission_list')}?place={place.slug}")
    return render(
        request,
        "partnerships/picture/confirm.html",
        {
            "place": commission.place,
            "section": "register",
            "title": f"Remove “{commission.title}” from the register?",
            "explanation": "Partners and the public will no longer see it. This cannot be undone.",
            "confirm_label": "Yes, remove it",
            "cancel_url": commission.get_absolute_url(),
        },
    )


# --- System map ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def system_map(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Talking point 8: the place's organisations and how they connect. For its partnership;
    forum members draw it."""
    place = permissions.get_partnership_place_or_404(request.user, slug)
    can_draw = permissions.is_place_forum_member(request.user, place)
    form = RelationshipForm(_posted(request), place=place)
    if request.method == "POST":
        permissions.require_place_forum_member(request.user, place)
        if form.is_valid():
            try:
                relationship = services.relationship_add(
                    place=place,
                    source=form.cleaned_data["source"],
                    target=form.cleaned_data["target"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except services.PictureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Added: {relationship}.")
                return redirect("partnerships:system_map", slug=place.slug)
    filters = MapFilterForm(request.GET or None)
    kinds = sectors = []
    if filters.is_valid():
        kinds = filters.cleaned_data["kind"]
        sectors = filters.cleaned_data["sector"]
    the_map = picture.system_map(place, kinds=kinds, sectors=sectors)
    context = {
        "place": place,
        "section": "map",
        "map": the_map,
        "map_data": the_map.as_data(),
        "filters": filters,
        "form": form,
        "can_draw": can_draw,
        "filtered": bool(kinds or sectors),
    }
    return render(
        request,
        "partnerships/picture/system_map.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    place = permissions.get_partnership_place_or_404(request.user, slug)
    relationship = get_object_or_404(
        Relationship.objects.select_related("source", "target"), pk=pk, place=place
    )
    permissions.require_place_forum_member(request.user, place)
    if request.method == "POST":
        relationship.delete()
        messages.success(request, f"Removed: {relationship}.")
        return redirect("partnerships:system_map", slug=place.slug)
    return render(
        request,
        "partnerships/picture/confirm.html",
        {
            "place": place,
            "section": "map",
            "title": f"Remove “{relationship}” from the map?",
            "explanation": "Everyone in the partnership will stop seeing this line on the map.",
            "confirm_label": "Yes, remove it",
            "cancel_url": reverse("partnerships:system_map", kwargs={"slug": place.slug}),
        },
    )


# --- Propositions check -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def propositions(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Appendix Two: forum members rate each proposition once a quarter; the partnership sees
    aggregates of at least three people, for quarters that have ended."""
    place = permissions.get_partnership_place_or_404(request.user, slug)
    today = timezone.localdate()
    can_rate = permissions.is_place_forum_member(request.user, place)
    own = picture.own_ratings(place, request.user, today=today)
    form = PropositionRatingForm(_posted(request), already_rated=own, today=today)
    if request.method == "POST":
        permissions.require_place_forum_member(request.user, place)
        if form.is_valid():
            try:
                stored = services.propositions_rate(
                    place=place, user=request.user, ratings=form.ratings(), today=today
                )
            except services.PictureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Thank you. Your {len(stored)} rating{'s' if len(stored) != 1 else ''} "
                    "will count once the quarter ends.",
                )
                return redirect("partnerships:propositions", slug=place.slug)
    summaries = picture.proposition_summaries(place, today=today)
    for summary in summaries:
        if summary.code in own:
            summary.own_score = own[summary.code].score
    quarters = summaries[0].quarters if summaries else []
    context = {
        "place": place,
        "section": "propositions",
        "summaries": summaries,
        "quarters": quarters,
        "form": form,
        "can_rate": can_rate,
        "all_rated": len(own) == len(summaries),
        "current_quarter": picture.quarter_label(picture.quarter_start(today)),
        "next_quarter": form.next_quarter_starts(),
    }
    return render(
        request,
        "partnerships/picture/propositions.html",
        context,
        status=400 if form.errors else 200,
    )


# --- Shared language ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def glossary(request: HttpRequest, slug: str) -> HttpResponse:
    """The place's glossary (public) and the built-in jargon list; partners add terms."""
    place = permissions.get_place_or_404(slug)
    can_edit = permissions.is_in_partnership(request.user, place)
    form = GlossaryTermForm(_posted(request), place=place)
    if request.method == "POST":
        permissions.require_partnership(request.user, place)
        if form.is_valid():
            try:
                term = services.glossary_term_save(
                    form=form,
                    place=place,
                    by=request.user,  # type: ignore[arg-type]
                )
            except services.PictureError as exc:
                form.add_error("term", str(exc))
            else:
                messages.success(request, f"“{term.term}” is in the glossary.")
                return redirect("partnerships:glossary", slug=place.slug)
    terms = Paginator(
        GlossaryTerm.objects.filter(place=place).select_related("updated_by"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "place": place,
        "section": "glossary",
        "page_obj": terms,
        "terms": terms.object_list,
        "jargon": sorted(JARGON.items(), key=lambda item: item[0].lower()),
        "form": form,
        "can_edit": can_edit,
    }
    return render(
        request,
        "partnerships/picture/glossary.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def glossary_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    term = get_object_or_404(GlossaryTerm, pk=pk, place=place)
    permissions.require_partnership(request.user, place)
    form = GlossaryTermForm(_posted(request), instance=term, place=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.glossary_term_save(form=form, place=place, by=request.user)
        except services.PictureError as exc:
            form.add_error("term", str(exc))
        else:
            messages.success(request, f"“{term.term}” is updated.")
            return redirect("partnerships:glossary", slug=place.slug)
    return render(
        request,
        "partnerships/picture/glossary_form.html",
        {"place": place, "section": "glossary", "form": form, "term": term},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def glossary_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    term = get_object_or_404(GlossaryTerm, pk=pk, place=place)
    permissions.require_partnership(request.user, place)
    if request.method == "POST":
        term.delete()
        messages.success(request, f"“{term.term}” is no longer in the glossary.")
        return redirect("partnerships:glossary", slug=place.slug)
    return render(
        request,
        "partnerships/picture/confirm.html",
        {
            "place": place,
            "section": "glossary",
            "title": f"Remove “{term.term}” from the glossary?",
            "explanation": "Its explanation will stop appearing in forum purposes and notes.",
            "confirm_label": "Yes, remove it",
            "cancel_url": reverse("partnerships:glossary", kwargs={"slug": place.slug}),
        },
    )


@require_POST
def readability_check(request: HttpRequest) -> HttpResponse:
    """htmx: score the text in the field named by ``?field=`` and return the hint."""
    field = request.GET.get("field", "text")
    text = str(request.POST.get(field, ""))[:20000]
    return render(
        request,
        "partnerships/picture/_readability.html",
        {"result": flesch_reading_ease(text)},
    )


# --- Champions ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def champions(request: HttpRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    can_stand = permissions.is_in_partnership(request.user, place)
    mine = (
        Champion.objects.filter(place=place, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    form = ChampionForm(_posted(request), instance=mine)
    if request.method == "POST":
        permissions.require_partnership(request.user, place)
        if form.is_valid():
            services.champion_stand(
                place=place,
                user=request.user,  # type: ignore[arg-type]
                can_help_with=form.cleaned_data["can_help_with"],
            )
            messages.success(
                request,
                "Thank you for standing as a champion."
                if mine is None
                else "What you can help with is updated.",
            )
            return redirect("partnerships:champions", slug=place.slug)
    context = {
        "place": place,
        "section": "champions",
        "champions": Champion.objects.filter(place=place).select_related("user"),
        "form": form,
        "mine": mine,
        "can_stand": can_stand,
    }
    return render(
        request,
        "partnerships/picture/champions.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def champion_step_down(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    mine = get_object_or_404(Champion, place=place, user=request.user)
    if request.method == "POST":
        mine.delete()
        messages.success(request, f"You are no longer a champion for {place.name}.")
        return redirect("partnerships:champions", slug=place.slug)
    return render(
        request,
        "partnerships/picture/confirm.html",
        {
            "place": place,
            "section": "champions",
            "title": f"Step down as a champion for {place.name}?",
            "explanation": "Your name will no longer be shown as a champion. You can stand "
            "again at any time.",
            "confirm_label": "Yes, step down",
            "cancel_url": reverse("partnerships:champions", kwargs={"slug": place.slug}),
        },
    )


# --- Wellbeing check-in -------------------------------------------------------------------


def _session_for_member_or_404(user: Any, pk: int) -> Any:
    """A session of a forum ``user`` belongs to; otherwise 404."""
    from talking_points.models import Session

    return get_object_or_404(
        Session.objects.select_related("forum__place").filter(forum__memberships__user=user),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wellbeing_check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from talking_points.models import WellbeingCheckInMark
    from talking_points.models.wellbeing import check_in_is_open

    session = _session_for_member_or_404(request.user, pk)
    forum = session.forum
    already = WellbeingCheckInMark.objects.filter(session=session, user=request.user).exists()
    is_open = check_in_is_open(session)
    form = WellbeingCheckInForm(_posted(request))
    if request.method == "POST":
        if not is_open:
            form.add_error(None, "Check-in for this session has closed.")
        elif form.is_valid():
            try:
                services.wellbeing_check_in(
                    session=session,
                    user=request.user,
                    score=form.cleaned_data["score"],
                    word=form.cleaned_data["word"],
                )
            except services.PictureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Thank you for checking in. No one will see your answer.")
                return redirect("partnerships:forum_wellbeing", slug=forum.slug)
    context = {
        "place": forum.place,
        "forum": forum,
        "session": session,
        "form": form,
        "already": already,
        "is_open": is_open,
        "section": "",
    }
    return render(
        request,
        "partnerships/picture/wellbeing_check_in.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def forum_wellbeing(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The forum's wellbeing trend, for its members only."""
    from talking_points.models import Session, SessionStatus
    from talking_points.models.wellbeing import CHECK_IN_OPENS_BEFORE

    forum = get_object_or_404(
        Forum.objects.select_related("place").filter(memberships__user=request.user), slug=slug
    )
    now = timezone.now()
    open_sessions = (
        Session.objects.filter(forum=forum, starts_at__lte=now + CHECK_IN_OPENS_BEFORE)
        .exclude(status=SessionStatus.CLOSED)
        .annotate(
            checked_in=Count(
                "wellbeing_check_in_marks",
                filter=Q(wellbeing_check_in_marks__user=request.user),
            )
        )
        .order_by("starts_at")
    )
    context = {
        "place": forum.place,
        "forum": forum,
        "trend": picture.wellbeing_trend(forum),
        "open_sessions": open_sessions,
        "section": "",
    }
    return render(request, "partnerships/picture/forum_wellbeing.html", context)
