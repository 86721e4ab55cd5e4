"""Demo stories: the first demo place asks for stories, and one waits to be read.
Idempotent."""

from __future__ import annotations

from partnerships.models import Place

from .models import StoryCall, StoryStatus, ToldStory, token_digest


def load() -> None:
    place = Place.objects.order_by("pk").first()
    if place is None:
        return
    StoryCall.objects.get_or_create(
        place=place,
        defaults={"is_open": True, "welcome": "We want to hear how our help feels to you."},
    )
    ToldStory.objects.get_or_create(
        token_hash=token_digest(f"demo-story-{place.pk}"),
        defaults={
            "place": place,
            "story": "The lunch club rang me every week when I was ill. Nobody had done that.",
            "what_changed": "I did not feel forgotten. I go back every Tuesday now.",
            "first_name": "Maureen",
            "widest_visibility": "place",
            "status": StoryStatus.WAITING,
        },
    )
