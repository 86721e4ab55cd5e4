"""Passwords: Argon2, at least 12 characters, no common passwords, no composition rules,
and pasting is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from partnerships.models import User

pytestmark = pytest.mark.django_db


def sign_up(password: str, email: str = "new.person@example.org") -> str:
    response = Client().post(
        reverse("account_signup"),
        {"email": email, "full_name": "New Person", "password1": password, "password2": password},
    )
    return response.content.decode() if response.status_code == 200 else ""


def test_passwords_are_hashed_with_argon2() -> None:
    sign_up("a long and memorable passphrase")

    person = User.objects.get(email="new.person@example.org")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert person.password.startswith("argon2$argon2id$")


def test_password_shorter_than_twelve_characters_is_refused() -> None:
    page = sign_up("eleven-char")

    assert "at least 12 characters" in page
    assert not User.objects.exists()


def test_common_password_is_refused_even_when_long() -> None:
    page = sign_up("password1234")

    assert "too common" in page
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password",
    ["all lower case words", "twelvelettrs", "ÜNÎÇÖDÉ pässphrase ✓"],
)
def test_no_composition_rules_any_long_uncommon_password_is_accepted(password: str) -> None:
    validate_password(password)  # raises if refused

    sign_up(password)
    assert User.objects.count() == 1


def test_password_field_allows_pasting_and_password_managers() -> None:
    html = Client().get(reverse("account_signup")).content.decode()

    assert "onpaste" not in html
    assert 'autocomplete="off"' not in html
    assert 'autocomplete="new-password"' in html


def test_validators_have_no_composition_rules() -> None:
    validators: list[Any] = list(settings.AUTH_PASSWORD_VALIDATORS)
    names = [str(v["NAME"]).rsplit(".", 1)[-1] for v in validators]

    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
    ]
    with pytest.raises(ValidationError):
        validate_password("short")
