"""Which writes start a new generation of the cached learning pages (hls_forum/page_cache.py).

Learning lists show entries (kind, title, text, visibility, date), whether a story still has
consent, their tags, their organisation's and place's names, and which organisations work in
the place (the organisation filter). Every save or delete of those rows, wherever it comes
from (a service, a form, the admin, retention), starts a new generation through the model
signals below: of the entry's place (``learning_place``) or, for a row several places show (a
tag, an organisation, a place), of every place (``LEARNING_EVERYWHERE``). Marks as read
are the review queue's (``learning_reader``, per commissioner); the queue shows no responses.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from hls_forum.page_cache import data_changed

LEARNING_EVERYWHERE = "learning"


# Renewed with every place's learning: searches across all places show any of it.
LEARNING_ANY_PLACE = "learning-any-place"


def learning_place(place_id: int) -> str:
    return f"learning:{place_id}"


def _places_changed(*place_ids: int) -> None:
    data_changed(*(learning_place(pk) for pk in place_ids), LEARNING_ANY_PLACE)


def learning_reader(user_id: int) -> str:
    return f"learning-reader:{user_id}"


def learning_generations(place_ids: Any) -> list[str]:
    return [LEARNING_EVERYWHERE, *(learning_place(pk) for pk in place_ids)]


def _entry_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _places_changed(instance.place_id)


def _consent_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .models import LearningEntry

    place_ids = LearningEntry.objects.filter(pk=instance.entry_id).values_list(
        "place_id", flat=True
    )
    _places_changed(*place_ids)


def _read_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(learning_reader(instance.user_id))


def _tags_changed(sender: Any, instance: Any, reverse: bool, **kwargs: Any) -> None:
    if reverse:  # tag.entries.add(...): entries of any place
        data_changed(LEARNING_EVERYWHERE)
    else:
        _places_changed(instance.place_id)


def _everywhere(sender: Any, **kwargs: Any) -> None:
    data_changed(LEARNING_EVERYWHERE)


def connect() -> None:
    from partnerships.models import Organisation, Place

    from .models import LearningEntry, ReviewRead, StoryConsent, Tag

    for signal in (post_save, post_delete):
        signal.connect(_entry_changed, sender=LearningEntry, dispatch_uid="pages-entry")
        signal.connect(_consent_changed, sender=StoryConsent, dispatch_uid="pages-consent")
        signal.connect(_read_changed, sender=ReviewRead, dispatch_uid="pages-read")
        for model in (Tag, Organisation, Place):
            signal.connect(_everywhere, sender=model, dispatch_uid=f"pages-{model.__name__}")
    m2m_changed.connect(
        _tags_changed, sender=LearningEntry.tags.through, dispatch_uid="pages-entry-tags"
    )
    m2m_changed.connect(
        _everywhere,
        sender=Organisation.places.through,
        dispatch_uid="pages-organisation-places",
    )
