"""The audit log: append-only everywhere, records who/what/when/where but never content,
captures the events that matter, and staff (only) can search it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from partnerships.models import ForumMembership, Membership
from privacy import audit
from privacy.models import AuditEvent, AuditEventType, AuditLogIsAppendOnly
from tests import factories
from tests.conftest import World, client_for
from tests.privacy.conftest import sign_in

pytestmark = pytest.mark.django_db


def an_event(**meta: Any) -> AuditEvent:
    return audit.record(AuditEventType.SIGN_IN, actor=None, **meta)


# --- Append-only ----------------------------------------------------------------------


def test_saving_an_existing_event_is_refused() -> None:
    event = an_event()
    event.meta = {"changed": True}

    with pytest.raises(AuditLogIsAppendOnly):
        event.save()


def test_deleting_an_event_is_refused() -> None:
    event = an_event()

    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(event="sign_out")
    assert AuditEvent.objects.get(pk=event.pk).event == "sign_in"


def test_database_refuses_update_and_delete_even_in_raw_sql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = an_event()

    for sql in (
        "UPDATE privacy_auditevent SET event = 'sign_out' WHERE id = %s",
        "DELETE FROM privacy_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).event == "sign_in"


def test_admin_shows_the_log_but_nobody_can_add_change_or_delete(world: World) -> None:
    request = RequestFactory().get("/admin/")
    request.user = world.staff  # a superuser
    model_admin = site._registry[AuditEvent]
    event = an_event()

    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    client = client_for(world.staff)
    changelist = client.get(reverse("admin:privacy_auditevent_changelist") + "?q=127.0.0.1")
    assert changelist.status_code == 200
    assert client.get(reverse("admin:privacy_auditevent_add")).status_code == 403


@pytest.mark.parametrize("term", ["42", "#42", "::1", "membership", "%00", "x" * 300, "1" * 40])
def test_admin_search_never_fails_on_odd_terms(world: World, term: str) -> None:
    response = client_for(world.staff).get(
        reverse("admin:privacy_auditevent_changelist"), {"q": term}
    )

    assert response.status_code == 200


# --- What is recorded -------------------------------------------------------------------


@pytest.mark.parametrize("key", ["body", "text", "title", "email", "password", "Message"])
def test_content_and_contact_details_are_refused_in_meta(key: str) -> None:
    with pytest.raises(audit.AuditMetaError):
        an_event(**{key: "anything"})


def test_long_text_is_refused_in_meta() -> None:
    with pytest.raises(audit.AuditMetaError):
        an_event(visibility="x" * 121)
    with pytest.raises(audit.AuditMetaError):
        an_event(visibility={"nested": "value"})


def test_record_takes_who_and_where_from_the_request(world: World) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox")
    request.user = world.member_a

    event = audit.record(
        AuditEventType.VISIBILITY_CHANGED,
        actor=None,
        target=world.org_a,
        request=request,
        old="organisation",
        new="place",
    )

    assert event.actor_id == world.member_a.pk
    assert (event.target_type, event.target_id) == (
        "partnerships.organisation",
        str(world.org_a.pk),
    )
    assert (event.ip, event.user_agent) == ("203.0.113.9", "Firefox")
    assert event.meta == {"old": "organisation", "new": "place"}


def test_sign_in_is_recorded_with_address_and_browser(world: World) -> None:
    client = Client(HTTP_USER_AGENT="Test browser")

    sign_in(client, world.member_a)

    event = AuditEvent.objects.filter(event="sign_in", actor_id=world.member_a.pk).latest("pk")
    assert event.subject_user_id == world.member_a.pk
    assert event.ip == "127.0.0.1"
    assert event.user_agent == "Test browser"


def test_failed_sign_in_records_the_account_not_the_typed_address(world: World) -> None:
    sign_in(Client(), world.member_a, password="not the password")
    sign_in(Client(), world.member_a.__class__(email="nobody@example.org"), password="x" * 12)

    known, unknown = AuditEvent.objects.filter(event="sign_in_failed").order_by("pk")
    assert known.subject_user_id == world.member_a.pk
    assert known.meta == {"known_account": True}
    assert unknown.subject_user_id is None
    assert unknown.meta == {"known_account": False}
    assert "nobody@example.org" not in str(unknown.__dict__)


def test_sign_out_is_recorded(world: World) -> None:
    client = client_for(world.member_a)

    client.post(reverse("account_logout"))

    assert AuditEvent.objects.filter(event="sign_out", actor_id=world.member_a.pk).exists()


def test_membership_role_changes_are_recorded_with_who_did_it(world: World) -> None:
    membership = Membership.objects.get(user=world.member_a)
    token = audit.set_current_request(_request_by(world.lead_a))
    try:
        membership.role = "lead"
        membership.save()
        membership.delete()
    finally:
        audit.reset_current_request(token)

    changed = AuditEvent.objects.get(event="role_changed", subject_user_id=world.member_a.pk)
    removed = AuditEvent.objects.get(event="role_removed", subject_user_id=world.member_a.pk)
    assert changed.actor_id == world.lead_a.pk
    assert changed.meta["role"] == "lead"
    assert changed.meta["old_role"] == "staff"
    assert removed.actor_id == world.lead_a.pk


def test_forum_role_changed_through_admin_is_recorded_with_the_staff_member(
    world: World,
) -> None:
    client = client_for(world.staff)
    fm = ForumMembership.objects.get(user=world.facilitator)
    url = reverse("admin:partnerships_forummembership_change", args=[fm.pk])

    response = client.post(
        url,
        {
            "forum": fm.forum_id,
            "user": fm.user_id,
            "role": "participant",
            "reminders_enabled": "on",
            "joined_at_0": "2026-01-05",
            "joined_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(event="role_changed", subject_user_id=world.facilitator.pk)
    assert event.actor_id == world.staff.pk
    assert event.meta["old_role"] == "facilitator"
    assert event.meta["role"] == "participant"


def test_making_someone_site_staff_is_recorded(world: World) -> None:
    world.member_b.is_staff = True
    world.member_b.save()

    event = AuditEvent.objects.get(event="role_changed", subject_user_id=world.member_b.pk)
    assert event.meta["kind"] == "site_staff"
    assert event.meta["old_is_staff"] is False


def test_saving_last_login_alone_does_not_look_up_staff_flags(
    world: World, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        world.member_a.save(update_fields=["last_login"])


def _request_by(user: Any) -> Any:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    request.user = user
    return request


# --- Staff search page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["member_a", "lead_a", "member_b", "facilitator", "commissioner"]
)
def test_security_log_is_refused_to_everyone_but_staff(world: World, persona: str) -> None:
    response = client_for(world.user(persona)).get(reverse("privacy:audit_log"))

    assert response.status_code == 403
    assert "Only site staff" in response.content.decode()


def test_security_log_asks_visitors_to_sign_in(db: None) -> None:
    response = Client().get(reverse("privacy:audit_log"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_search_the_log_by_person_and_event(world: World) -> None:
    sign_in(Client(), world.member_a, password="wrong password here")
    sign_in(Client(), world.member_b)

    response = client_for(world.staff).get(
        reverse("privacy:audit_log"), {"person": world.member_a.email, "event": "sign_in_failed"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sign-in failed" in page
    assert world.member_a.email in page
    assert world.member_b.email not in page


def test_staff_find_events_of_a_deleted_account_by_number(world: World) -> None:
    audit.record(AuditEventType.ACCOUNT_ERASED, actor=987654, subject=987654)

    response = client_for(world.staff).get(reverse("privacy:audit_log"), {"person": "#987654"})

    assert "#987654 (deleted)" in response.content.decode()


def test_bad_search_is_explained_not_a_crash(world: World) -> None:
    response = client_for(world.staff).get(
        reverse("privacy:audit_log"),
        {"ip": "not-an-ip", "date_from": "2026-02-01", "date_to": "2026-01-01"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter an IP address, like 192.0.2.1" in page


def test_security_log_query_count_does_not_grow_with_events(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.staff)
    client.get(reverse("privacy:audit_log"))  # warm the session
    for person in (world.member_a, world.member_b, world.lead_a):
        audit.record(AuditEventType.SIGN_IN, actor=person, target=person)

    with django_assert_max_num_queries(4) as few:
        client.get(reverse("privacy:audit_log"))
    for _ in range(30):
        audit.record(AuditEventType.SIGN_IN, actor=factories.UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("privacy:audit_log"))

    assert response.status_code == 200
