"""``Authorization: Bearer <token>`` for the API, and what a token's scope allows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from .models import AccessToken, token_digest


class AccessTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, AccessToken] | None:
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].decode(errors="replace") != self.keyword:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Send one token: Authorization: Bearer <token>.")
        token = (
            AccessToken.objects.active()
            .select_related("user")
            .filter(token_hash=token_digest(words[1].decode(errors="replace")))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("That token is not known, or was revoked.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class TokenScopeAllows(permissions.BasePermission):
    """Reading needs no token (what is public); changing needs a write token."""

    message = "This needs a token with the read and write scope."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return isinstance(token, AccessToken) and token.can_write


class AccessTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how tokens are sent."""

    target_class = "api.authentication.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
