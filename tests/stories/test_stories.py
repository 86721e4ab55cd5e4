"""Stories from people who use services: a public form with no account, a queue only the
place's facilitators read, consent kept with the story, and a private link to take it back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from outbox.models import Delivery, DeliveryKind
from partnerships.language import flesch_reading_ease
from stories import services
from stories.forms import started_stamp
from stories.models import StoryCall, StoryRound, StoryStatus, ToldStory, token_digest
from talking_points.models import LearningEntry, StoryConsent
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings: Any) -> None:
    settings.STORIES_MIN_SECONDS = 0


@pytest.fixture
def open_form(world: World) -> StoryCall:
    return StoryCall.objects.create(place=world.place, is_open=True, welcome="We are listening.")


def tell(world: World, client: Client | None = None, **changes: str) -> Any:
    data = {
        "story": "The cafe let me sit in the warm and nobody rushed me.",
        "what_changed": "I go out more now.",
        "first_name": "Ann",
        "group": str(world.org_a.pk),
        "sharing": "public",
        "email": "ann@example.org",
        "website": "",
        "started": started_stamp(world.place),
        **changes,
    }
    return (client or Client()).post(reverse("stories:tell_us", args=[world.place.slug]), data)


def test_a_closed_form_says_so_plainly(world: World) -> None:
    response = Client().get(reverse("stories:tell_us", args=[world.place.slug]))
    assert response.status_code == 200
    assert "is not asking for stories just now" in response.content.decode()
    assert 'name="story"' not in response.content.decode()


def test_the_form_reads_easily(world: World, open_form: StoryCall) -> None:
    page = Client().get(reverse("stories:tell_us", args=[world.place.slug])).content.decode()
    main = re.search(r"<main.*?</main>", page, re.S)
    assert main is not None
    text = re.sub(r"<[^>]+>", " ", main.group(0))
    result = flesch_reading_ease(text)
    # Flesch reading ease 90 and above is "very easy": read by a child of about nine.
    assert result is not None and result.score >= 90, result


def test_a_story_is_kept_and_the_private_link_shown_once_and_emailed(
    world: World, open_form: StoryCall
) -> None:
    client = Client()
    response = tell(world, client)
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    link = re.search(r"/tell-us/take-back/([\w-]+)/", thanks)
    assert link is not None
    token = link.group(1)

    story = ToldStory.objects.get()
    assert (story.status, story.first_name, story.organisation) == (
        StoryStatus.WAITING,
        "Ann",
        world.org_a,
    )
    assert story.token_hash == token_digest(token)
    assert token not in str(ToldStory.objects.values().get())
    email = Delivery.objects.get(kind=DeliveryKind.STORY_LINK)
    assert email.address == "ann@example.org" and token in email.body_text
    assert "/tell-us/take-back/" not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "changes",
    [{"website": "http://spam.example"}, {"started": "forged"}, {"story": ""}],
    ids=["honeypot", "bad-stamp", "empty"],
)
def test_robots_and_empty_stories_are_refused_and_nothing_is_kept(
    world: World, open_form: StoryCall, changes: dict[str, str]
) -> None:
    response = tell(world, **changes)
    assert response.status_code == 400
    assert 'class="error-summary' in response.content.decode()
    assert not ToldStory.objects.exists()


def test_a_story_sent_back_at_once_was_sent_by_a_robot(
    world: World, open_form: StoryCall, settings: Any
) -> None:
    settings.STORIES_MIN_SECONDS = 3
    assert tell(world).status_code == 400
    assert not ToldStory.objects.exists()


def test_too_many_stories_from_one_address_are_refused_clearly(
    world: World, open_form: StoryCall, settings: Any
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "tell_us": "2/h/ip"}
    assert [tell(world).status_code for _ in range(3)] == [302, 302, 429]
    assert ToldStory.objects.count() == 2


def test_only_the_places_facilitators_read_waiting_stories(
    world: World, open_form: StoryCall
) -> None:
    tell(world)
    story = ToldStory.objects.get()
    for user in (world.member_a, world.lead_a, world.commissioner, world.staff):
        assert client_for(user).get(reverse("stories:decide", args=[story.pk])).status_code == 404
    queue = client_for(world.facilitator).get(reverse("stories:queue", args=[world.place.slug]))
    assert "Story from Ann" in queue.content.decode()


def accept(world: World, story: ToldStory, visibility: str) -> Any:
    return client_for(world.facilitator).post(
        reverse("stories:decide", args=[story.pk]),
        {
            "choice": "accept",
            "title": "Somewhere warm",
            "organisation": world.org_a.pk,
            "visibility": visibility,
        },
    )


def test_an_accepted_story_is_a_story_of_change_with_consent_never_shared_wider(
    world: World, open_form: StoryCall
) -> None:
    tell(world, sharing="place")
    story = ToldStory.objects.get()
    assert accept(world, story, "public").status_code == 400  # wider than they agreed
    assert accept(world, story, "place").status_code == 302

    entry = LearningEntry.objects.get()
    consent = StoryConsent.objects.get(entry=entry)
    assert (entry.kind, entry.organisation, entry.author, entry.visibility) == (
        "story",
        world.org_a,
        None,
        "place",
    )
    assert (consent.given_by, consent.widest_visibility) == ("Ann", "place")
    assert entry in LearningEntry.objects.visible_to(world.member_b)
    assert entry not in LearningEntry.objects.visible_to(None)
    story.refresh_from_db()
    assert (story.status, story.entry) == (StoryStatus.ACCEPTED, entry)


def test_declining_asks_first_then_deletes_the_words(world: World, open_form: StoryCall) -> None:
    tell(world)
    story = ToldStory.objects.get()
    url = reverse("stories:decide", args=[story.pk])
    facilitator = client_for(world.facilitator)

    ask = facilitator.post(url, {"choice": "decline"})
    assert "Do not use this story?" in ask.content.decode()
    assert ToldStory.objects.get().status == StoryStatus.WAITING

    facilitator.post(url, {"choice": "decline", "sure": "yes"})
    story.refresh_from_db()
    assert (story.status, story.story, story.email, story.first_name) == (
        StoryStatus.DECLINED,
        "",
        "",
        "",
    )


def test_the_private_link_takes_an_accepted_story_back_everywhere(
    world: World, open_form: StoryCall
) -> None:
    _story, token = services.story_tell(
        place=world.place,
        data={"story": "Words to forget", "widest_visibility": "public", "email": ""},
    )
    accept(world, ToldStory.objects.get(), "public")
    entry = LearningEntry.objects.get()
    assert entry in LearningEntry.objects.visible_to(None)
    url = reverse("stories:withdraw", args=[token])

    assert "Delete my story" in Client().get(url).content.decode()
    assert Client().post(url).status_code == 200

    entry.refresh_from_db()
    assert "Words to forget" not in entry.body and entry.visibility == "organisation"
    assert entry not in LearningEntry.objects.visible_to(None)
    assert StoryConsent.objects.get(entry=entry).withdrawn_at is not None
    assert ToldStory.objects.get().story == ""
    assert Client().get(reverse("stories:withdraw", args=["not-a-link"])).status_code == 404


def test_the_place_page_points_to_the_form_and_facilitators_to_the_queue(
    world: World, open_form: StoryCall
) -> None:
    place_url = world.place.get_absolute_url()
    public = Client().get(place_url).content.decode()
    facilitator = client_for(world.facilitator).get(place_url).content.decode()
    assert reverse("stories:tell_us", args=[world.place.slug]) in public
    assert reverse("stories:queue", args=[world.place.slug]) not in public
    assert reverse("stories:queue", args=[world.place.slug]) in facilitator


def test_a_facilitator_opens_and_closes_the_form(world: World) -> None:
    url = reverse("stories:queue", args=[world.place.slug])
    client_for(world.facilitator).post(url, {"is_open": "on", "welcome": "Tell us"})
    assert StoryCall.objects.get(place=world.place).is_open
    client_for(world.facilitator).post(url, {"welcome": ""})
    assert not StoryCall.objects.get(place=world.place).is_open
    assert client_for(world.member_a).post(url, {"is_open": "on"}).status_code == 404


# --- Most Significant Change rounds ----------------------------------------------------------


def story_entry(world: World, visibility: str, **fields: Any) -> LearningEntry:
    entry = LearningEntry.objects.create(
        place=world.place,
        organisation=world.org_a,
        kind="story",
        title=f"A {visibility} story",
        visibility=visibility,
        **fields,
    )
    StoryConsent.objects.create(
        entry=entry,
        given_by="Bo",
        method="written",
        given_on=entry.created_at.date(),
        obtained_by="Org A",
        widest_visibility="public",
    )
    return entry


def test_a_round_gathers_stories_a_panel_chooses_with_reasons_and_the_teller_hears(
    world: World,
) -> None:
    facilitator = client_for(world.facilitator)
    response = facilitator.post(
        reverse("stories:round_list", args=[world.place.slug]),
        {"title": "Spring", "domains_text": "Changes in people's lives\nChanges in how we work"},
    )
    story_round = StoryRound.objects.get()
    url = reverse("stories:round_detail", args=[story_round.pk])
    assert response["Location"] == url
    shared = story_entry(world, "place")
    ToldStory.objects.create(
        place=world.place,
        story="",
        widest_visibility="public",
        token_hash=token_digest("x"),
        entry=shared,
        email="bo@example.org",
        status=StoryStatus.ACCEPTED,
    )
    private = story_entry(world, "organisation")  # org A only: the facilitator cannot add it
    assert facilitator.post(url, {"do": "story", "story-entry": private.pk}).status_code == 400
    facilitator.post(url, {"do": "story", "story-entry": shared.pk})
    facilitator.post(url, {"do": "panel", "panel-member": world.facilitator.pk})
    assert list(story_round.stories.all()) == [shared]

    # Not on the panel: member B may read the round but not choose.
    choice = {
        "do": "choose",
        "choose-domain": "Changes in people's lives",
        "choose-entry": shared.pk,
        "choose-reasons": "It shows trust growing.",
    }
    assert client_for(world.member_b).post(url, choice).status_code == 403
    assert facilitator.post(url, choice).status_code == 302

    page = client_for(world.member_b).get(url).content.decode()
    assert "It shows trust growing." in page and "A place story" in page
    email = Delivery.objects.get(kind=DeliveryKind.STORY_CHOSEN)
    assert email.address == "bo@example.org" and "It shows trust growing." in email.body_text
    assert client_for(world.staff).get(url).status_code == 404


def test_a_choice_of_a_story_the_reader_cannot_see_is_not_shown(world: World) -> None:
    story_round = StoryRound.objects.create(place=world.place, title="R", domains_text="Lives")
    private = story_entry(world, "organisation")
    story_round.stories.add(private)
    story_round.selections.create(domain="Lives", entry=private, reasons="Secret reasons")

    own = client_for(world.member_a).get(reverse("stories:round_detail", args=[story_round.pk]))
    other = client_for(world.member_b).get(reverse("stories:round_detail", args=[story_round.pk]))
    assert "Secret reasons" in own.content.decode()
    assert "Secret reasons" not in other.content.decode()
    assert "1 more in this round is shared only with others" in other.content.decode()
