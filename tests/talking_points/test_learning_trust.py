"""The trust model, proven: every persona x every visibility x every way to read.

What a person may not see is a 404 or absent, and its title appears nowhere in the
response (or email) they get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talking_points import services
from talking_points.models import LearningEntry, LearningLink, Review, StoryConsent
from tests import factories
from tests.conftest import PERSONAS, World, client_for

VISIBILITIES = ["organisation", "commissioners", "place", "public"]
TITLE = "Quixotic lighthouse learning"

# Who may read an entry of organisation A in the world's place, by visibility.
SEES = {
    "organisation": {"member_a", "lead_a"},
    "commissioners": {"member_a", "lead_a", "commissioner"},
    "place": {"member_a", "lead_a", "member_b", "facilitator", "commissioner"},
    "public": set(PERSONAS),
}


def may_see(persona: str, visibility: str) -> bool:
    return persona in SEES[visibility]


@dataclass
class Read:
    """One way to read: returns (status, text of everything the person received)."""

    name: str
    run: Callable[[Client, World, LearningEntry], tuple[int, str]]
    # The statuses that mean "refused / not there" for this way, besides absence of the title.
    expected: Callable[[str, str], bool]


def _get(client: Client, url: str, **headers: str) -> tuple[int, str]:
    response = client.get(url, headers=headers)
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content).decode()
    else:
        body = response.content.decode()
    return response.status_code, body


def _log(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:learning_log", args=[world.place.slug]))


def _detail(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, entry.get_absolute_url())


def _fragment(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    url = reverse("talking_points:learning_log", args=[world.place.slug]) + "?organisation=org-a"
    return _get(client, url, HX_Request="true")


def _search(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:learning_search") + "?q=lighthouse")


def _search_fragment(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    url = reverse("talking_points:learning_search") + "?q=quixotic"
    return _get(client, url, HX_Request="true")


def _csv(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:learning_export_csv", args=[world.place.slug]))


def _print(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:learning_print", args=[world.place.slug]))


def _feed(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:learning_feed", args=[world.place.slug]))


def _compare(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:learning_compare", args=[world.place.slug]))


def _queue(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    return _get(client, reverse("talking_points:review_queue") + "?show=all")


def _linked(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    # A session whose summary anyone may read, so only the entry's own visibility decides.
    session = factories.SessionFactory(
        forum=world.forum, status="closed", summary_visibility="public"
    )
    LearningLink.objects.create(entry=entry, session=session)
    return _get(client, reverse("talking_points:session_learning", args=[session.pk]))


def _linked_from_entry(client: Client, world: World, entry: LearningEntry) -> tuple[int, str]:
    """A public entry that the private one links to shows links "both ways" - but only
    links from entries the reader may see."""
    public = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="public", title="Open harbour"
    )
    LearningLink.objects.create(entry=entry, other_entry=public, relation="came_from")
    return _get(client, public.get_absolute_url())


def _sees_or_404(persona: str, visibility: str) -> bool:
    return may_see(persona, visibility)


READS = [
    Read("list", _log, _sees_or_404),
    Read("detail", _detail, _sees_or_404),
    Read("htmx fragment", _fragment, _sees_or_404),
    Read("search", _search, _sees_or_404),
    Read("search fragment", _search_fragment, _sees_or_404),
    Read("CSV export", _csv, _sees_or_404),
    Read("print page", _print, _sees_or_404),
    Read("side by side", _compare, lambda p, v: False),  # experiments are not compared
    Read("session's linked learning", _linked, _sees_or_404),
    Read("linked from, on another entry", _linked_from_entry, _sees_or_404),
    # The feed is public learning only, whoever asks.
    Read("Atom feed", _feed, lambda p, v: v == "public"),
    # The queue holds what is shared with commissioners, for commissioners only.
    Read(
        "review queue",
        _queue,
        lambda p, v: p == "commissioner" and v in {"commissioners", "place", "public"},
    ),
]


@pytest.fixture
def entry_at(world: World) -> Callable[[str], LearningEntry]:
    def make(visibility: str) -> Any:
        return factories.LearningEntryFactory(
            place=world.place,
            organisation=world.org_a,
            kind="experiment",
            title=TITLE,
            tried="A lighthouse for the harbour.",
            experiment_status="running",
            visibility=visibility,
        )

    return make


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("read", READS, ids=lambda r: r.name)
def test_reader_sees_only_what_visibility_allows(
    world: World,
    persona: str,
    visibility: str,
    read: Read,
    entry_at: Callable[[str], LearningEntry],
) -> None:
    entry = entry_at(visibility)
    client = client_for(world.user(persona))

    status, body = read.run(client, world, entry)

    if read.expected(persona, visibility):
        assert status == 200
        assert TITLE in body
    else:
        assert status in {200, 302, 403, 404}
        assert TITLE not in body
        if read.name == "detail":
            assert status == 404


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_notification_email_goes_only_to_people_who_may_see_the_entry(
    world: World, persona: str, visibility: str, entry_at: Callable[[str], LearningEntry]
) -> None:
    # Everyone (but the anonymous visitor) has taken part in a conversation on the entry
    # while it was public; then it is narrowed, and a colleague replies.
    entry = entry_at("public")
    root = factories.ReviewFactory(entry=entry, author=world.commissioner, kind="question")
    user = world.user(persona)
    if user is not None:
        Review.objects.create(
            entry=entry,
            in_reply_to=root,
            author=user,
            kind="reply",
            text="Me too",
            notified_at=timezone.now(),
        )
    LearningEntry.objects.filter(pk=entry.pk).update(visibility=visibility)
    colleague = factories.MembershipFactory(organisation=world.org_a).user
    reply = Review.objects.create(
        entry=entry, in_reply_to=root, author=colleague, kind="reply", text="Here is more."
    )
    mail.outbox.clear()

    services.review_notify(review_id=reply.pk)

    received = [m for m in mail.outbox if user is not None and user.email in m.to]
    text = "".join(f"{m.subject}{m.body}" for m in received)
    if user is not None and may_see(persona, visibility):
        assert len(received) == 1
        assert TITLE in text
    else:
        assert TITLE not in text
        assert received == []


@pytest.mark.parametrize("read", READS, ids=lambda r: r.name)
def test_story_without_active_consent_is_never_shown_outside_its_organisation(
    world: World, persona: str, read: Read
) -> None:
    # A row that claims to be public but whose consent was withdrawn (as if the narrowing
    # had been lost): visible_to still refuses it outside the organisation.
    entry = factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        kind="story",
        title=TITLE,
        body="A lighthouse keeper's story.",
        visibility="public",
    )
    factories.StoryConsentFactory(entry=entry, withdrawn_at=timezone.now())
    client = client_for(world.user(persona))

    _, body = read.run(client, world, entry)

    if persona in SEES["organisation"] and read.expected(persona, "organisation"):
        assert TITLE in body
    else:
        assert TITLE not in body


def test_withdrawing_consent_removes_a_story_from_every_shared_read(world: World) -> None:
    entry = factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        kind="story",
        title=TITLE,
        body="A lighthouse keeper's story.",
        visibility="public",
    )
    factories.StoryConsentFactory(entry=entry, widest_visibility="public")
    commissioner = client_for(world.commissioner)
    assert TITLE in _queue(commissioner, world, entry)[1]

    services.story_consent_withdraw(entry=entry, by=world.member_a)

    entry.refresh_from_db()
    assert entry.visibility == "organisation"
    assert StoryConsent.objects.get(entry=entry).withdrawn_at is not None
    for read in READS:
        for persona in ("anonymous", "member_b", "facilitator", "commissioner", "staff"):
            client = client_for(world.user(persona))
            assert TITLE not in read.run(client, world, entry)[1], (read.name, persona)
    change = entry.visibility_changes.get()
    assert (change.from_visibility, change.to_visibility, change.reason) == (
        "public",
        "organisation",
        "Consent withdrawn",
    )


def test_visible_to_is_one_query_whatever_the_memberships(
    world: World, django_assert_num_queries: object
) -> None:
    for _ in range(3):
        factories.MembershipFactory(user=world.commissioner)
        factories.ForumMembershipFactory(user=world.commissioner)
    factories.LearningEntryFactory(place=world.place, organisation=world.org_a, visibility="place")

    with django_assert_num_queries(1):  # type: ignore[operator]
        entries = list(LearningEntry.objects.visible_to(world.commissioner))

    assert len(entries) == 1
