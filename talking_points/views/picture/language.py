"""Shared language: a place's glossary and the readability check (JavaScript scores
text as it is typed).

Everything here works as plain links and form posts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from partnerships import permissions, services
from partnerships.forms import GlossaryTermForm
from partnerships.language import JARGON, flesch_reading_ease
from partnerships.models import GlossaryTerm
from partnerships.types import AuthenticatedRequest

from .common import posted


@require_http_methods(["GET", "POST"])
def glossary(request: HttpRequest, slug: str) -> HttpResponse:
    """The place's glossary (public) and the built-in jargon list; partners add terms."""
    place = permissions.get_place_or_404(slug)
    can_edit = permissions.is_in_partnership(request.user, place)
    form = GlossaryTermForm(posted(request), place=place)
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
                return redirect("talking_points:glossary", slug=place.slug)
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
        "talking_points/picture/glossary.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def glossary_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    term = get_object_or_404(GlossaryTerm, pk=pk, place=place)
    permissions.require_partnership(request.user, place)
    form = GlossaryTermForm(posted(request), instance=term, place=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.glossary_term_save(form=form, place=place, by=request.user)
        except services.PictureError as exc:
            form.add_error("term", str(exc))
        else:
            messages.success(request, f"“{term.term}” is updated.")
            return redirect("talking_points:glossary", slug=place.slug)
    return render(
        request,
        "talking_points/picture/glossary_form.html",
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
        return redirect("talking_points:glossary", slug=place.slug)
    return render(
        request,
        "talking_points/picture/confirm.html",
        {
            "place": place,
            "section": "glossary",
            "title": f"Remove “{term.term}” from the glossary?",
            "explanation": "Its explanation will stop appearing in forum purposes and notes.",
            "confirm_label": "Remove from the glossary",
            "cancel_url": reverse("talking_points:glossary", kwargs={"slug": place.slug}),
        },
    )


@require_POST
def readability_check(request: HttpRequest) -> HttpResponse:
    """htmx: score the text in the field named by ``?field=`` and return the hint."""
    field = request.GET.get("field", "text")
    text = str(request.POST.get(field, ""))[:20000]
    return render(
        request,
        "talking_points/picture/_readability.html",
        {"result": flesch_reading_ease(text)},
    )
