"""System checks for email: links in emails must be https in production."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def site_url_is_https(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every email links to SITE_URL, and its one-click unsubscribe URL must be https
    (RFC 8058), so production refuses to start with anything else."""
    if settings.DEBUG:
        return []
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme == "https" and parts.hostname:
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}; in production it must be an https URL.",
            hint="Set SITE_URL to the site's public address, such as https://example.org.",
            id="outbox.E001",
        )
    ]
