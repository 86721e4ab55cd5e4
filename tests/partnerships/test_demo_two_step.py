"""The demo commissioners and staff can sign in locally, two-step sign-in included."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from partnerships.demo import DEMO_PASSWORD
from partnerships.demo_two_step import DEMO_TOTP_SECRET, demo_totp_code
from partnerships.models import User
from tests import factories
from tests.conftest import empty_the_cache

pytestmark = pytest.mark.django_db

COMMISSIONER = "commissioner@demo.hls-forum.localhost"
STAFF = "staff@demo.hls-forum.localhost"


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_commissioner_signs_in_with_the_printed_code_and_reaches_their_page() -> None:
    load_demo()
    empty_the_cache()  # used one-time codes are remembered in the cache
    client = Client()
    code_output = StringIO()
    call_command("demo_code", stdout=code_output)
    code = code_output.getvalue().split()[0]

    password = client.post(
        reverse("account_login"), {"login": COMMISSIONER, "password": DEMO_PASSWORD}
    )
    second_step = client.post(reverse("mfa_authenticate"), {"code": code})
    home = client.get(reverse("talking_points:dashboard"))

    assert password["Location"] == reverse("mfa_authenticate")
    assert second_step.status_code == 302
    assert home.status_code == 200
    assert COMMISSIONER in code_output.getvalue()
    assert STAFF in code_output.getvalue()


def test_load_demo_prints_how_to_get_the_two_step_code() -> None:
    output = load_demo()

    assert "manage.py demo_code" in output
    assert DEMO_TOTP_SECRET in output


def test_demo_code_is_what_an_authenticator_app_shows() -> None:
    # allauth's own check (with its one-period tolerance) accepts the printed code now, and
    # not an hour-old one.
    from allauth.mfa.totp.internal.auth import validate_totp_code

    assert validate_totp_code(DEMO_TOTP_SECRET, demo_totp_code(time.time()))
    assert not validate_totp_code(DEMO_TOTP_SECRET, demo_totp_code(time.time() - 3600))


def test_only_demo_commissioners_and_staff_get_the_demo_key_and_loading_twice_adds_none() -> None:
    load_demo()
    load_demo()

    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert {COMMISSIONER, STAFF} <= with_totp
    assert "worker@demo.hls-forum.localhost" not in with_totp
    assert all(email.endswith("@demo.hls-forum.localhost") for email in with_totp)
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == len(with_totp)


def test_an_authenticator_someone_set_up_themselves_is_kept() -> None:
    load_demo()
    sam = User.objects.get(email=COMMISSIONER)
    Authenticator.objects.filter(user=sam).delete()
    own_secret = factories.give_mfa(sam)

    load_demo()

    totp = Authenticator.objects.get(user=sam, type=Authenticator.Type.TOTP)
    assert totp.data["secret"] == own_secret
