"""The public "tell us" form, the facilitators' queue, and the teller's private link.

Plain links and form posts throughout; the form works on a phone with no JavaScript."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from partnerships import permissions
from partnerships.types import AuthenticatedRequest
from talking_points.models import LearningEntry

from . import services
from .forms import (
    AcceptForm,
    ChooseForm,
    PanelForm,
    RoundForm,
    RoundStoryForm,
    StoryCallForm,
    TellUsForm,
)
from .models import StoryCall, StoryRound, StoryStatus, ToldStory

SESSION_LINK_KEY = "stories.told_link"


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def tell_us(request: HttpRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    call = StoryCall.objects.filter(place=place, is_open=True).first()
    if call is None:
        return render(request, "stories/closed.html", {"place": place})
    form = TellUsForm(_posted(request), place=place)
    if request.method == "POST":
        if not ratelimit.consume(request, action="tell_us"):
            return render(request, "stories/too_many.html", {"place": place}, status=429)
        if form.is_valid():
            try:
                _story, token = services.story_tell(place=place, data=form.story_fields())
            except ValidationError as error:  # the form closed while they were typing
                form.add_error(None, error)
            else:
                request.session[SESSION_LINK_KEY] = token
                return redirect("stories:told", slug=place.slug)
    return render(
        request,
        "stories/tell_us.html",
        {"place": place, "call": call, "form": form},
        status=400 if form.errors else 200,
    )


def told(request: HttpRequest, slug: str) -> HttpResponse:
    """Thank you, and the private link, shown this once."""
    place = permissions.get_place_or_404(slug)
    token = request.session.pop(SESSION_LINK_KEY, None)
    link = services.withdraw_link(token) if token else None
    return render(request, "stories/told.html", {"place": place, "link": link})


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    story = services.story_for_token(token)
    if story is None:
        raise Http404("No story has that link.")
    if request.method == "POST":
        services.story_withdraw(token=token)
        return render(request, "stories/withdrawn.html", {"place": story.place})
    return render(request, "stories/withdraw.html", {"story": story, "place": story.place})


@login_required
@require_http_methods(["GET", "POST"])
def queue(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The place's waiting stories, and whether the form is open: facilitators only."""
    place = permissions.get_place_or_404(slug)
    if not services.can_look_after(request.user, place):
        raise Http404("No such page.")
    call = StoryCall.objects.filter(place=place).first()
    initial = {"is_open": call.is_open, "welcome": call.welcome} if call else {}
    form = StoryCallForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.call_set(place=place, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            "The form is open: share its link."
            if form.cleaned_data["is_open"]
            else "The form is closed.",
        )
        return redirect("stories:queue", slug=place.slug)
    waiting = (
        ToldStory.objects.waiting_for(request.user)
        .filter(place=place, status=StoryStatus.WAITING)
        .select_related("organisation")
    )
    page = Paginator(waiting, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"place": place, "call": call, "form": form, "page_obj": page}
    return render(request, "stories/queue.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(
        ToldStory.objects.waiting_for(request.user).select_related("place", "organisation"),
        pk=pk,
        status=StoryStatus.WAITING,
    )
    place = story.place
    initial = {"organisation": story.organisation, "visibility": story.widest_visibility}
    form = AcceptForm(
        request.POST if request.POST.get("choice") == "accept" else None,
        initial=initial,
        place=place,
        widest=story.widest_visibility,
    )
    if request.POST.get("choice") == "decline":
        if request.POST.get("sure") != "yes":  # first, ask: the words cannot come back
            return render(request, "stories/decline.html", {"place": place, "story": story})
        try:
            services.story_decline(story=story, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The story was not used. Its words have been deleted.")
        return redirect("stories:queue", slug=place.slug)
    if form.is_bound and form.is_valid():
        try:
            entry = services.story_accept(story=story, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The story is now a story of change.")
            return redirect(entry.get_absolute_url())
    return render(
        request,
        "stories/decide.html",
        {"place": place, "story": story, "form": form},
        status=400 if form.errors else 200,
    )


# --- Most Significant Change rounds ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The place's rounds, for its partnership; facilitators start new ones here."""
    place = permissions.get_partnership_place_or_404(request.user, slug)
    looks_after = services.can_look_after(request.user, place)
    form = RoundForm(_posted(request))
    if request.method == "POST":
        if not looks_after:
            raise PermissionDenied("Only the facilitators of this place's forums start a round.")
        if form.is_valid():
            story_round = services.round_create(place=place, by=request.user, **form.cleaned_data)
            messages.success(request, "The round has started. Now gather its stories.")
            return redirect("stories:round_detail", pk=story_round.pk)
    rounds = StoryRound.objects.visible_to(request.user).filter(place=place)
    page = Paginator(rounds, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"place": place, "form": form, "page_obj": page, "looks_after": looks_after}
    return render(request, "stories/round_list.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    story_round = get_object_or_404(
        StoryRound.objects.visible_to(request.user).select_related("place"), pk=pk
    )
    user = request.user
    looks_after = services.can_look_after(user, story_round.place)
    can_choose = services.can_choose(user, story_round)
    doing = request.POST.get("do") if request.method == "POST" else None
    forms = {
        "story": RoundStoryForm(
            request.POST if doing == "story" else None, story_round=story_round, user=user
        ),
        "panel": PanelForm(request.POST if doing == "panel" else None, story_round=story_round),
        "choose": ChooseForm(
            request.POST if doing == "choose" else None, story_round=story_round, user=user
        ),
    }
    form = forms.get(doing or "")
    if form is not None:
        if not (can_choose if doing == "choose" else looks_after):
            raise PermissionDenied("Only the round's panel and the place's facilitators can.")
        if form.is_valid():
            try:
                _act(story_round, user, doing or "", form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("stories:round_detail", pk=story_round.pk)
    stories = list(
        LearningEntry.objects.visible_to(user)
        .filter(story_rounds=story_round)
        .select_related("organisation")
    )
    context = {
        "place": story_round.place,
        "story_round": story_round,
        "stories": stories,
        "hidden_stories": story_round.stories.count() - len(stories),
        "panel": story_round.panel.order_by("full_name"),
        # A choice of a story the reader may not see is not shown at all (not even why).
        "selections": story_round.selections.filter(
            LearningEntry.objects.visible_at(user, "entry_id")
        ).select_related("entry"),
        "looks_after": looks_after,
        "can_choose": can_choose,
        **{f"{name}_form": f for name, f in forms.items()},
    }
    failed = form is not None and bool(form.errors)
    return render(request, "stories/round_detail.html", context, status=400 if failed else 200)


def _act(story_round: StoryRound, user: Any, doing: str, data: dict[str, Any]) -> None:
    if doing == "story":
        services.round_story_add(story_round=story_round, by=user, entry=data["entry"])
    elif doing == "panel":
        services.round_panel_add(story_round=story_round, by=user, member=data["member"])
    else:
        services.selection_record(story_round=story_round, by=user, **data)
