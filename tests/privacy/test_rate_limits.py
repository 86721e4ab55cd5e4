"""Rate limits and used one-time codes live in the cache every web process shares (Redis
in production and CI), so they hold whichever process answers."""

from __future__ import annotations

import time

import pytest
import redis
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client
from django.urls import reverse

from privacy.models import AuditEvent
from tests import factories
from tests.conftest import World
from tests.factories import PASSWORD
from tests.privacy.conftest import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def test_cache_is_redis_when_redis_is_configured(redis_url: str) -> None:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "hls_forum.cache.ReusingRedisCache"
    cache = caches["default"]
    assert isinstance(cache, RedisCache)  # Django's backend, one Redis client per pool
    cache.set("rate-limit-probe", 1, 5)
    assert cache.get("rate-limit-probe") == 1


def test_sixth_wrong_password_is_refused_even_with_the_right_password(
    world: World, redis_url: str
) -> None:
    for attempt in range(5):
        # Each attempt from a fresh client, as if a different web process answered.
        assert sign_in(Client(), world.member_a, password=f"wrong password {attempt}") == 200

    client = Client()
    response = client.post(
        reverse("account_login"), {"login": world.member_a.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    counters = redis.Redis.from_url(redis_url).keys("*allauth:rl:*login_failed*")
    assert counters  # the counter is in the shared Redis, not in one process's memory
    assert (
        AuditEvent.objects.filter(event="sign_in_failed", subject_user_id=world.member_a.pk).count()
        == 5
    )


def test_a_used_totp_code_is_refused_the_second_time(world: World, redis_url: str) -> None:
    secret = factories.give_mfa(world.member_a)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    first, second = Client(), Client()
    sign_in(first, world.member_a)
    sign_in(second, world.member_a)

    accepted = first.post(reverse("mfa_authenticate"), {"code": code})
    replayed = second.post(reverse("mfa_authenticate"), {"code": code})

    assert accepted.status_code == 302
    assert "_auth_user_id" in first.session
    assert replayed.status_code == 200
    assert "_auth_user_id" not in second.session
    assert redis.Redis.from_url(redis_url).keys("*allauth.mfa.totp.used*")
