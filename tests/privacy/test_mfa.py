"""Multi-factor authentication: required for commissioners and staff, open to everyone,
and re-authentication before changing email, password or MFA."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hls_forum.middleware import SESSION_MFA_POLICY
from privacy.models import AuditEvent
from tests import factories
from tests.conftest import World, client_for
from tests.privacy.conftest import sign_in

pytestmark = pytest.mark.django_db


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def commissioner_without_mfa(world: World) -> Any:
    return factories.CommissionerProfileFactory(places=[world.place]).user


@pytest.mark.parametrize("url", ["/me/", "/places/", "/me/data/", "/staff/security-log/"])
def test_commissioner_without_mfa_is_sent_to_set_it_up(
    commissioner_without_mfa: Any, url: str
) -> None:
    response = client_for(commissioner_without_mfa).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_index") + "?next=")


def test_staff_without_mfa_is_sent_to_set_it_up_for_admin_and_pages(db: None) -> None:
    staff = factories.UserFactory(is_staff=True)
    client = client_for(staff)

    assert client.get("/admin/")["Location"].startswith(reverse("mfa_index"))
    assert client.get("/me/")["Location"].startswith(reverse("mfa_index"))


@pytest.mark.parametrize(
    "url", ["/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/email/", "/about/privacy/"]
)
def test_commissioner_without_mfa_can_still_reach_account_and_mfa_pages(
    commissioner_without_mfa: Any, url: str
) -> None:
    client = Client()
    sign_in(client, commissioner_without_mfa)

    response = client.get(url)

    assert response.status_code == 200


def test_commissioner_without_mfa_can_sign_out(commissioner_without_mfa: Any) -> None:
    client = client_for(commissioner_without_mfa)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_request_is_redirected_to_mfa_set_up_by_htmx(
    commissioner_without_mfa: Any,
) -> None:
    response = client_for(commissioner_without_mfa).get("/me/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("mfa_index"))


@pytest.mark.parametrize("persona", ["commissioner", "staff"])
def test_commissioner_and_staff_with_mfa_go_anywhere(world: World, persona: str) -> None:
    response = client_for(world.user(persona)).get("/me/")

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["member_a", "lead_a", "member_b", "facilitator"])
def test_other_people_do_not_need_mfa(world: World, persona: str) -> None:
    assert client_for(world.user(persona)).get("/me/").status_code == 200


def test_person_made_commissioner_mid_session_is_asked_for_mfa_on_recheck(world: World) -> None:
    client = client_for(world.member_a)
    assert client.get("/me/").status_code == 200
    factories.CommissionerProfileFactory(user=world.member_a, places=[world.place])
    session = client.session
    session[SESSION_MFA_POLICY] = {"ok": True, "at": time.time() - 301}
    session.save()

    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_index"))


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    assert response.status_code == 302


def test_anyone_may_turn_on_totp_and_it_is_audited(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    sign_in(client, world.member_a)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=world.member_a, type="totp").exists()
    event = AuditEvent.objects.get(event="mfa_added", actor_id=world.member_a.pk, meta__kind="totp")
    assert event.meta == {"kind": "totp"}
    assert event.ip == "127.0.0.1"


def test_commissioner_finishing_mfa_set_up_is_let_through(
    commissioner_without_mfa: Any,
) -> None:
    client = Client()
    sign_in(client, commissioner_without_mfa)
    assert client.get("/me/").status_code == 302
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert client.get("/me/").status_code == 200


def test_passkeys_are_offered_for_two_step_sign_in_and_sign_in() -> None:
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    assert settings.MFA_PASSKEY_LOGIN_ENABLED is True
    assert "Sign in with a passkey" in Client().get(reverse("account_login")).content.decode()


# --- Re-authentication --------------------------------------------------------------


def reauth_redirect(response: object) -> bool:
    location = getattr(response, "headers", {}).get("Location", "")
    return bool(location.startswith(reverse("account_reauthenticate")))


def test_adding_an_email_needs_recent_reauthentication(world: World) -> None:
    client = client_for(world.member_a)  # signed in, but not recently re-authenticated

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )

    assert reauth_redirect(response)
    assert not world.member_a.emailaddress_set.filter(email="second@example.org").exists()


def test_turning_on_mfa_needs_recent_reauthentication(world: World) -> None:
    response = client_for(world.member_a).get(reverse("mfa_activate_totp"))

    assert reauth_redirect(response)


def test_turning_off_mfa_needs_recent_reauthentication(world: World) -> None:
    response = client_for(world.commissioner).get(reverse("mfa_deactivate_totp"))

    assert reauth_redirect(response)


def test_after_reauthenticating_the_email_change_goes_ahead(world: World) -> None:
    client = client_for(world.member_a)
    reauthenticate(client)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )

    assert not reauth_redirect(response)
    assert world.member_a.emailaddress_set.filter(email="second@example.org").exists()
    assert AuditEvent.objects.filter(event="email_changed", meta__action="added").exists()
