"""Sign-in through django-allauth: verification, sign-in by code, two-step sign-in for
everyone and required for staff before Django admin, rate limits, and no account
enumeration through sign-up or password reset."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from partnerships.models import User
from tests import factories
from tests.conftest import empty_the_cache
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """allauth counts attempts in the shared cache (Redis in CI); start every test clean."""
    empty_the_cache()
    yield
    empty_the_cache()


def totp_code(secret: str, offset: int = 0) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def activate_totp(client: Client) -> str:
    """Set up an authenticator app the way a person does: confirm the password again (allauth
    asks before any change to two-step sign-in), then type the app's current code."""
    first = client.get(reverse("mfa_activate_totp"))
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    client.post(first["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = str(client.session[SECRET_SESSION_KEY])
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def sign_in(client: Client, email: str, password: str = PASSWORD) -> str:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


# --- Settings the issue asks for ------------------------------------------------------


def test_allauth_settings_require_verification_and_offer_codes_and_mfa() -> None:
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    assert settings.ACCOUNT_LOGIN_BY_CODE_ENABLED is True
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True
    assert set(settings.MFA_SUPPORTED_TYPES) >= {"totp", "recovery_codes"}
    assert settings.ACCOUNT_RATE_LIMITS is not False
    assert {"login_failed", "signup", "reset_password"} <= set(settings.ACCOUNT_RATE_LIMITS)


# --- Sign-up and verification ----------------------------------------------------------


def signup(client: Client, email: str) -> str:
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "New Person",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "a-long-unusual-passphrase-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"])


def test_new_person_must_verify_their_email_before_signing_in() -> None:
    client = Client()

    location = signup(client, "new.person@example.org")

    assert location == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person"
    assert not EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("talking_points:dashboard")).status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]


def test_signup_does_not_reveal_whether_an_email_has_an_account() -> None:
    existing = factories.UserFactory(email="taken@example.org")

    new_location = signup(Client(), "fresh@example.org")
    taken_location = signup(Client(), "taken@example.org")

    assert taken_location == new_location
    assert User.objects.filter(email="taken@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)  # the existing account is untouched
    # The owner of the existing account is told by email instead.
    assert [m.to for m in mail.outbox] == [["fresh@example.org"], ["taken@example.org"]]


def test_unverified_person_cannot_sign_in_with_a_password() -> None:
    user = User.objects.create_user("unverified@example.org", PASSWORD, full_name="Un Verified")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client = Client()

    location = sign_in(client, "unverified@example.org")

    assert location == reverse("account_email_verification_sent")
    assert client.get(reverse("talking_points:dashboard")).status_code == 302


# --- Password reset and sign-in by code ---------------------------------------------------


def test_password_reset_does_not_reveal_whether_an_email_has_an_account() -> None:
    factories.UserFactory(email="known@example.org")

    known = Client().post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "unknown@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("account_reset_password_done")


def test_sign_in_by_emailed_code_works_and_does_not_reveal_accounts() -> None:
    factories.UserFactory(email="coder@example.org")
    client = Client()

    known = client.post(reverse("account_request_login_code"), {"email": "coder@example.org"})
    unknown = Client().post(reverse("account_request_login_code"), {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    code_mail = [m for m in mail.outbox if m.to == ["coder@example.org"]]
    assert len(code_mail) == 1
    code = client.session["account_login"]["state"]["stages"]["login_by_code"]["data"]["code"]
    assert code in code_mail[0].body
    confirmed = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert confirmed.status_code == 302
    assert client.get(reverse("talking_points:dashboard")).status_code == 200


# --- Rate limits --------------------------------------------------------------------------


def test_repeated_failed_sign_ins_are_rate_limited() -> None:
    factories.UserFactory(email="target@example.org")
    client = Client()
    for _ in range(5):
        failed = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong"}
        )
        assert failed.status_code == 200

    # Even the right password is refused once the limit is reached.
    response = client.post(
        reverse("account_login"), {"login": "target@example.org", "password": PASSWORD}
    )

    assert response.status_code in {200, 429}
    assert "Too many failed" in response.content.decode()
    assert client.get(reverse("talking_points:dashboard")).status_code == 302


# --- Two-step sign-in ------------------------------------------------------------------------


def test_anyone_can_set_up_two_step_sign_in_and_gets_recovery_codes() -> None:
    user = factories.UserFactory(email="careful@example.org")
    client = Client()
    sign_in(client, user.email)

    activate_totp(client)

    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_person_with_two_step_sign_in_must_give_a_code() -> None:
    user = factories.UserFactory(email="two.step@example.org")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()

    location = sign_in(client, user.email)

    assert location == reverse("mfa_authenticate")
    assert client.get(reverse("talking_points:dashboard")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    assert client.get(reverse("talking_points:dashboard")).status_code == 200


# --- Django admin ---------------------------------------------------------------------------


def test_staff_without_two_step_sign_in_are_sent_to_set_it_up_before_admin() -> None:
    staff = factories.UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    client = Client()
    sign_in(client, staff.email)

    response = client.get(reverse("admin:index"))
    changelist = client.get(reverse("admin:partnerships_place_changelist"))

    # Sent to the two-step overview (TOTP or passkey, hls_forum.middleware), then back to
    # the exact admin page they asked for.
    def expected(path: str) -> str:
        return f"{reverse('mfa_index')}?{urlencode({'next': path})}"

    assert (response.status_code, response["Location"]) == (302, expected(reverse("admin:index")))
    assert (changelist.status_code, changelist["Location"]) == (
        302,
        expected(reverse("admin:partnerships_place_changelist")),
    )


def test_staff_who_set_up_two_step_sign_in_reach_admin() -> None:
    staff = factories.UserFactory(email="staff2@example.org", is_staff=True, is_superuser=True)
    client = Client()
    sign_in(client, staff.email)
    activate_totp(client)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "HLS Forum administration" in response.content.decode()


def test_admin_login_sends_visitors_to_allauth() -> None:
    response = Client().get(reverse("admin:index"), follow=False)
    login = Client().get(reverse("admin:login"))

    assert response.status_code == 302
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("account_login") + "?next=")


def test_admin_password_form_cannot_be_used_to_skip_allauth() -> None:
    staff = factories.UserFactory(email="boss@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    client = Client()

    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_signed_in_non_staff_are_told_admin_is_not_for_them() -> None:
    member = factories.UserFactory(email="member@example.org")
    staff = factories.UserFactory(email="chief@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(member)

    login = client.get(reverse("admin:login"))
    # Admin's own password form would let a signed-in person switch to a staff account
    # without the staff member's second step; it must never be processed.
    posted = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})

    assert login.status_code == 403
    assert "The site administration is only for site staff." in login.content.decode()
    assert posted.status_code == 403
    assert client.session["_auth_user_id"] == str(member.pk)


def test_staff_already_signed_in_are_sent_on_from_admin_login() -> None:
    staff = factories.UserFactory(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)

    response = client.get(reverse("admin:login") + "?next=/admin/partnerships/place/")

    assert response["Location"] == "/admin/partnerships/place/"
