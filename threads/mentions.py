"""@mentions: ``@JaneSmith`` (a person's full name without spaces, any case) or
``@jane@example.org`` (their email address). Only people who may see the thread are
mentioned; anyone else is left alone, so a mention never tells an outsider that a
conversation exists."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Func, Q, Value
from django.db.models.functions import Lower

from .models import Thread

MENTION = re.compile(
    r"(?<![\w@])@(?P<handle>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|[^\W\d_][\w'’.-]*)",
)
# At most this many people are mentioned by one post (more is not a mention but a list).
MAX_MENTIONS = 10


def normalise(name: str) -> str:
    """What a name looks like as a handle: lower case, letters and digits only."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def handles(text: str) -> tuple[set[str], set[str]]:
    """The names and the email addresses that ``text`` mentions."""
    names: set[str] = set()
    emails: set[str] = set()
    for match in MENTION.finditer(text):
        handle = match["handle"].rstrip(".-'’")
        if "@" in handle:
            emails.add(handle.lower())
        elif normalise(handle):
            names.add(normalise(handle))
    return names, emails


def _collapsed_name() -> Func:
    """The full name in lower case without spaces, hyphens, apostrophes or dots (as
    ``normalise`` makes handles), in SQL."""
    expression: Any = Lower("full_name")
    for character in (" ", "-", "'", "’", "."):
        expression = Func(expression, Value(character), Value(""), function="REPLACE")
    return expression


def mentioned_people(*, thread: Thread, text: str, author: Any) -> list[Any]:
    """People ``text`` mentions who may see ``thread`` (``Thread.objects.visible_to``),
    the author left out. A few queries per mention, never per reader."""
    names, emails = handles(text)
    if not names and not emails:
        return []
    User = get_user_model()
    candidates = (
        User.objects.filter(is_active=True)
        .annotate(handle=_collapsed_name())
        .filter(Q(handle__in=names) | Q(email__in=emails))
        .exclude(pk=author.pk)
        .order_by("pk")[:MAX_MENTIONS]
    )
    return [
        person
        for person in candidates
        if Thread.objects.visible_to(person).filter(pk=thread.pk).exists()
    ]
