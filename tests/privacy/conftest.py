"""Shared helpers for the security and privacy tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import User
from tests.conftest import empty_the_cache
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Rate-limit counters and used one-time codes live in the shared cache (Redis in
    CI); start and end every test without any."""
    empty_the_cache()
    yield
    empty_the_cache()


def sign_in(client: Client, user: User, password: str = PASSWORD, **extra: str) -> int:
    """Sign in through allauth's real form, as a browser would. Returns the status."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": password}, **extra
    )
    return response.status_code
