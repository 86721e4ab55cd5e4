from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig


def place_part(context: Mapping[str, Any]) -> dict[str, Any]:
    """For the place page: is its public form open, and does the reader look after it?"""
    from partnerships.permissions import is_in_partnership

    from .models import StoryCall
    from .services import can_look_after

    place = context["place"]
    request = context.get("request")
    return {
        "story_form_open": StoryCall.objects.filter(place=place, is_open=True).exists(),
        "looks_after_stories": request is not None and can_look_after(request.user, place),
        "in_partnership": request is not None and is_in_partnership(request.user, place),
    }


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories from people who use services"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hls_forum import slots

        slots.register("place_page", "stories/_place_part.html", place_part)
