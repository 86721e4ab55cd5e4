"""The send_test_reminder command and the demo loader."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reminders.models import Delivery, DeliveryStatus, DigestPreference
from tests import factories
from tests.conftest import World


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_test_reminder", *args, stdout=out)
    return out.getvalue()


def test_send_test_reminder_sends_the_next_meetings_reminder_now(world: World) -> None:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)

    output = run("--forum", world.forum.slug, "--sync")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.member_a.email, world.facilitator.email]
    )
    assert output.count(": sent") == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_send_test_reminder_never_sends_twice_unless_asked(world: World) -> None:
    run("--forum", world.forum.slug, "--sync")

    again = run("--forum", world.forum.slug, "--sync")
    forced = run("--forum", world.forum.slug, "--sync", "--again")

    assert "1 already sent or in progress" in again
    assert ": sent" in forced
    assert len(mail.outbox) == 2


def test_send_test_reminder_to_one_member(world: World) -> None:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)

    run("--forum", world.forum.slug, "--sync", "--to", world.member_a.email)

    assert [m.to for m in mail.outbox] == [[world.member_a.email]]


def test_send_test_reminder_for_an_unknown_forum_lists_the_forums(world: World) -> None:
    with pytest.raises(CommandError, match="testford-forum"):
        run("--forum", "nowhere")


def test_demo_gives_the_commissioner_a_digest_and_loading_twice_changes_nothing(
    db: None,
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    preferences = list(DigestPreference.objects.values_list("user__email", "frequency"))
    assert preferences == [("commissioner@demo.hls-forum.localhost", "weekly")]
