"""Machine-readable times for ``<time datetime="...">``.

HTML wants at most three digits of a second's fraction; Django's ``date:'c'`` writes six.
``{{ value|machine_time }}`` writes a datetime to the second, in the current time zone, with
its offset (``2026-12-03T15:50:32+00:00``), and a date as ``2026-12-03``.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value: datetime.date | None) -> str:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
