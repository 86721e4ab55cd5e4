"""Who sees a conversation: a forum's members, or whoever may read the learning entry.
Everyone else gets a 404, and a mention never reaches them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from outbox.models import Delivery, DeliveryKind
from partnerships.models import ForumMembership
from tests import factories
from tests.conftest import World, client_for
from tests.threads.helpers import forum_thread, send_thread_emails
from threads import services
from threads.models import Follower, Post, Thread

pytestmark = pytest.mark.django_db


def test_forum_threads_are_for_members_only(world: World) -> None:
    thread = forum_thread(world)
    detail = reverse("threads:thread_detail", kwargs={"pk": thread.pk})
    listing = reverse("threads:forum_threads", kwargs={"slug": world.forum.slug})

    assert client_for(world.facilitator).get(detail).status_code == 200
    assert client_for(world.facilitator).get(listing).status_code == 200
    for outsider in (world.member_a, world.commissioner, world.staff):
        assert client_for(outsider).get(detail).status_code == 404
        assert client_for(outsider).get(listing).status_code == 404
    assert client_for(None).get(detail).status_code == 404


def test_entry_threads_follow_the_entry(world: World) -> None:
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="organisation"
    )
    thread = services.thread_start(by=world.member_a, entry=entry, title="Why", body="Because.")
    url = reverse("threads:thread_detail", kwargs={"pk": thread.pk})

    assert client_for(world.lead_a).get(url).status_code == 200
    assert client_for(world.member_b).get(url).status_code == 404
    assert client_for(world.commissioner).get(url).status_code == 404
    assert (
        client_for(world.member_b)
        .get(reverse("threads:entry_threads", kwargs={"pk": entry.pk}))
        .status_code
        == 404
    )

    entry.visibility = "public"
    entry.save(update_fields=["visibility"])
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert b"Sign in to reply" in response.content


def test_starting_and_replying_on_the_site(world: World) -> None:
    client = client_for(world.facilitator)
    response = client.post(
        reverse("threads:forum_threads", kwargs={"slug": world.forum.slug}),
        {"title": "Rough sleeping", "body": "Numbers are up."},
    )
    thread = Thread.objects.get(title="Rough sleeping")
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()

    response = client.post(thread.get_absolute_url(), {"body": "And the shelter is full."})
    post = Post.objects.latest("pk")
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#post-{post.pk}"
    assert [p.body for p in thread.posts.all()] == ["Numbers are up.", "And the shelter is full."]

    response = client.post(thread.get_absolute_url(), {"body": "   "})
    assert response.status_code == 200
    assert b"Enter your message" in response.content


def test_mentions_notify_only_people_who_can_see_the_thread(world: World) -> None:
    thread = forum_thread(world)
    member = factories.ForumMembershipFactory(forum=world.forum, user__full_name="Ada Byron").user
    outsider = world.member_b
    outsider.full_name = "Bea Outside"
    outsider.save(update_fields=["full_name"])

    services.post_add(
        thread=thread, by=world.facilitator, body="@AdaByron and @BeaOutside, what do you think?"
    )
    send_thread_emails()

    assert set(Follower.objects.filter(thread=thread).values_list("user_id", flat=True)) == {
        world.facilitator.pk,
        member.pk,
    }
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "what do you think?" in mail.outbox[0].body


def test_mention_by_email_address(world: World) -> None:
    thread = forum_thread(world)
    member = factories.ForumMembershipFactory(forum=world.forum).user

    services.post_add(thread=thread, by=world.facilitator, body=f"Over to you @{member.email}.")

    assert Follower.objects.filter(thread=thread, user=member).exists()


def test_no_email_to_someone_who_left_before_it_was_sent(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    services.post_add(thread=thread, by=world.facilitator, body="News.")
    ForumMembership.objects.filter(forum=world.forum, user=world.member_a).delete()

    send_thread_emails()

    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]
    row = Delivery.objects.get(kind=DeliveryKind.THREAD_POST, recipient=world.member_a)
    assert row.status == "skipped"


def test_stopping_following_stops_the_emails(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    client = client_for(world.member_a)
    url = reverse("threads:thread_follow", kwargs={"pk": thread.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"choice": "unfollow"}).status_code == 302
    assert client.post(url, {"choice": "nonsense"}).status_code == 400

    services.post_add(thread=thread, by=world.facilitator, body="News.")

    assert not Delivery.objects.filter(recipient=world.member_a).exists()


def test_editing_and_deleting_only_ones_own_post_with_confirmation(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    own = thread.posts.get(author=world.member_a)
    other = thread.posts.get(author=world.facilitator)
    client = client_for(world.member_a)

    edit = reverse("threads:post_edit", kwargs={"pk": own.pk})
    assert client.post(edit, {"body": "We see it too, twice."}).status_code == 302
    own.refresh_from_db()
    assert (own.body, own.edited_at is not None) == ("We see it too, twice.", True)

    assert client.get(reverse("threads:post_edit", kwargs={"pk": other.pk})).status_code == 403
    assert client.post(reverse("threads:post_delete", kwargs={"pk": other.pk})).status_code == 403
    assert (
        client_for(world.member_b)
        .get(reverse("threads:post_delete", kwargs={"pk": own.pk}))
        .status_code
        == 404
    )

    delete = reverse("threads:post_delete", kwargs={"pk": own.pk})
    page = client.get(delete)
    assert b"Delete this post" in page.content
    assert Post.objects.filter(pk=own.pk).exists()
    assert client.post(delete).status_code == 302
    assert not Post.objects.filter(pk=own.pk).exists()


@override_settings(PAGE_SIZE=2)
def test_posts_and_threads_are_paginated(world: World) -> None:
    thread = forum_thread(world)
    for n in range(4):
        services.post_add(thread=thread, by=world.facilitator, body=f"Post number {n}")
    client = client_for(world.facilitator)

    last = client.get(thread.get_absolute_url(), {"page": 3})
    assert b"Post number 3" in last.content
    assert b"Post number 0" not in last.content
    assert b"Page 3 of 3" in last.content
    assert client.get(thread.get_absolute_url(), {"page": "nonsense"}).status_code == 200
