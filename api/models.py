"""Personal access tokens: how a partner's own system reads and writes as that person.

A token acts exactly as its person would (every read through the same ``visible_to``), no
more, and ``read`` tokens cannot change anything. Only a hash of the token is stored: it
is shown once, when made.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "hlsf_"  # noqa: S105 - the prefix every token starts with, not a token


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def active(self) -> AccessTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField("what it is for", max_length=100)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scope_display()})"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
