"""Template helpers for the place picture: shared language and small charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString

from partnerships.language import Term, explain_terms_html, flesch_reading_ease, known_terms
from partnerships.models import GlossaryTerm, Place

register = template.Library()


def terms_for(place: Place | None) -> dict[str, Term]:
    """Known terms for ``place``: its glossary over the built-in jargon. Fetched once per
    place object, so a list of forum purposes costs one query, not one per item."""
    if place is None:
        return known_terms()
    cached = getattr(place, "_picture_terms", None)
    if cached is None:
        glossary = GlossaryTerm.objects.filter(place=place).values_list("term", "meaning")
        cached = known_terms(glossary)
        place._picture_terms = cached  # type: ignore[attr-defined]
    return cached


def prefetch_terms(places: Iterable[Place]) -> None:
    """Fetch the glossaries of all ``places`` in one query and attach them, so a list whose
    items each carry their own place object still costs one query, not one per item."""
    places = [p for p in places if getattr(p, "_picture_terms", None) is None]
    if not places:
        return
    glossaries: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for place_id, term, meaning in GlossaryTerm.objects.filter(
        place_id__in={p.pk for p in places}
    ).values_list("place_id", "term", "meaning"):
        glossaries[place_id].append((term, meaning))
    for place in places:
        place._picture_terms = known_terms(glossaries[place.pk])  # type: ignore[attr-defined]


@register.filter(is_safe=True)
def explain_terms(value: object, place: Place | dict[str, Term] | None = None) -> SafeString:
    """``{{ forum.purpose|explain_terms:forum.place }}``: escape, then explain known terms.

    Put ``linebreaksbr`` after it, not before, if you need line breaks.
    """
    terms = place if isinstance(place, dict) else terms_for(place)
    return explain_terms_html("" if value is None else value, terms)


@register.filter
def money(value: object) -> str:
    """Pounds as people write them: "£8,400,000" when whole, "£12.50" when not."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    places = 0 if amount == amount.to_integral_value() else 2
    return f"£{amount:,.{places}f}"


@register.simple_tag
def readability(text: str) -> Any:
    return flesch_reading_ease(text or "")


@register.simple_tag
def url_or_empty(obj: Any) -> str:
    """``obj.get_absolute_url()``, or "" while the page it names is not built yet."""
    try:
        return str(obj.get_absolute_url())
    except NoReverseMatch:
        return ""
