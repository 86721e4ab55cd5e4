"""A person's home page says what waits for them, and what every list of learning, money
and confirmation shows reads plainly."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnerships import services as partnership_services
from talking_points.models import ReviewRead
from talking_points.services import reviews
from tests import factories
from tests.conftest import World, client_for

UP_TO_DATE = "You are up to date"
OWN_BADGE = "Only your organisation"


def home(user: Any) -> str:
    response = client_for(user).get(reverse("talking_points:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def entry_for(world: World, **kwargs: Any) -> Any:
    kwargs.setdefault("place", world.place)
    kwargs.setdefault("organisation", world.org_a)
    return factories.LearningEntryFactory(**kwargs)


def text_of(html: str) -> str:
    """What a reader sees: the page without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- "You are up to date" only when nothing waits -------------------------------------------


def test_nobody_with_nothing_waiting_is_up_to_date(world: World) -> None:
    assert UP_TO_DATE in home(world.member_a)


def test_commissioner_sees_unread_review_items_and_is_not_up_to_date(world: World) -> None:
    entry = entry_for(world, title="The warm room worked", visibility="commissioners")

    page = home(world.commissioner)

    assert UP_TO_DATE not in page
    assert "Unread in your review queue" in page
    assert f'href="{entry.get_absolute_url()}">The warm room worked</a>' in page


def test_commissioner_is_up_to_date_once_everything_is_read(world: World) -> None:
    entry = entry_for(world, title="The warm room worked", visibility="commissioners")
    ReviewRead.objects.create(entry=entry, user=world.commissioner)

    page = home(world.commissioner)

    assert UP_TO_DATE in page
    assert "The warm room worked" not in page


def test_organisation_sees_a_commissioners_unanswered_question(world: World) -> None:
    entry = entry_for(world, title="Our café pilot", visibility="commissioners")
    question = reviews.review_create(
        entry=entry, author=world.commissioner, kind="question", text="Who **came** along?"
    )

    page = home(world.member_a)

    assert UP_TO_DATE not in page
    assert "Questions waiting for an answer" in page
    assert f"{entry.get_absolute_url()}#thread-{question.pk}" in page
    assert "“Who came along?”" in page
    # Another organisation's people are not asked.
    assert "Our café pilot" not in home(world.member_b)


def test_question_answered_by_the_organisation_no_longer_waits(world: World) -> None:
    entry = entry_for(world, title="Our café pilot", visibility="commissioners")
    question = reviews.review_create(
        entry=entry, author=world.commissioner, kind="question", text="Who came?"
    )
    reviews.review_reply(review=question, author=world.lead_a, text="Twelve people.")

    page = home(world.member_a)

    assert "Our café pilot" not in page
    assert UP_TO_DATE in page


def test_question_asked_again_after_an_answer_waits_again(world: World) -> None:
    entry = entry_for(world, title="Our café pilot", visibility="commissioners")
    question = reviews.review_create(
        entry=entry, author=world.commissioner, kind="question", text="Who came?"
    )
    reviews.review_reply(review=question, author=world.lead_a, text="Twelve people.")
    reviews.review_reply(review=question, author=world.commissioner, text="Which ages?")

    assert "Our café pilot" in home(world.member_a)


def test_acknowledgement_is_not_a_question_waiting(world: World) -> None:
    entry = entry_for(world, title="Our café pilot", visibility="commissioners")
    reviews.review_create(entry=entry, author=world.commissioner, kind="acknowledge", text="")

    assert UP_TO_DATE in home(world.member_a)


def test_requester_sees_their_own_pending_join_request(world: World) -> None:
    partnership_services.forum_join_request_create(forum=world.forum, user=world.member_b)

    page = home(world.member_b)

    assert UP_TO_DATE not in page
    assert "Your requests to join a forum" in page
    assert world.forum.get_absolute_url() in page


def test_facilitator_with_a_request_to_decide_is_not_up_to_date(world: World) -> None:
    partnership_services.forum_join_request_create(forum=world.forum, user=world.member_b)

    page = home(world.facilitator)

    assert UP_TO_DATE not in page
    assert "People asking to join your forums" in page


def test_commissioners_home_names_their_organisation(world: World) -> None:
    profile = world.commissioner.commissioner_profile
    profile.organisation.name = "Testford City Council"
    profile.organisation.save()

    page = home(world.commissioner)

    assert f"{profile.job_title}, Testford City Council" in page
    assert "You commission for" in page


def test_home_does_not_grow_in_queries_with_what_waits(
    world: World, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(2):
        entry = entry_for(world, visibility="commissioners")
        reviews.review_create(entry=entry, author=world.commissioner, kind="question", text="?")
    entry_for(world, visibility="commissioners")
    client = client_for(world.member_a)
    client.get(reverse("talking_points:dashboard"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("talking_points:dashboard"))
    for _ in range(4):
        entry = entry_for(world, visibility="commissioners")
        reviews.review_create(entry=entry, author=world.commissioner, kind="question", text="?")

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("talking_points:dashboard"))


# --- Excerpts show Markdown as text ------------------------------------------------------------

MARKDOWN_BODY = "**Bold start** and _a little emphasis_ with a [link](https://example.org)."
PLAIN = "Bold start and a little emphasis with a link."


@pytest.mark.parametrize(
    "where",
    ["learning_log", "learning_search", "review_queue", "home", "place_picture"],
)
def test_excerpts_show_markdown_as_plain_text(world: World, where: str) -> None:
    entry_for(world, title="Markdown entry", body=MARKDOWN_BODY, visibility="place")
    urls = {
        "learning_log": reverse("talking_points:learning_log", args=[world.place.slug]),
        "learning_search": reverse("talking_points:learning_search") + "?q=bold",
        "review_queue": reverse("talking_points:review_queue"),
        "home": reverse("talking_points:dashboard"),
        "place_picture": reverse("talking_points:place_picture", args=[world.place.slug]),
    }

    page = client_for(world.commissioner).get(urls[where]).content.decode()

    assert "Markdown entry" in page
    assert PLAIN in text_of(page)
    assert "**" not in page
    assert "{#" not in page  # template comments stay out of the page


@pytest.mark.parametrize(
    "body", ["**Bold across\n\nparagraphs** here", "**Bold never closed", "Stars ** alone"]
)
def test_excerpt_leaves_no_unpaired_markdown_marks(world: World, body: str) -> None:
    entry_for(world, title="Odd entry", body=body)

    page = client_for(world.member_a).get(
        reverse("talking_points:learning_log", args=[world.place.slug])
    )

    assert "Odd entry" in page.content.decode()
    assert "**" not in page.content.decode()


# --- An organisation's own private entries are marked -----------------------------------------


@pytest.mark.parametrize(
    "where", ["learning_log", "learning_search", "entry_detail", "place_picture"]
)
def test_own_organisation_only_entries_carry_a_badge(world: World, where: str) -> None:
    private = entry_for(world, title="Private breakthrough", body="Kept close.")
    entry_for(world, title="Shared breakthrough", body="Kept close.", visibility="place")
    urls = {
        "learning_log": reverse("talking_points:learning_log", args=[world.place.slug]),
        "learning_search": reverse("talking_points:learning_search") + "?q=close",
        "entry_detail": private.get_absolute_url(),
        "place_picture": reverse("talking_points:place_picture", args=[world.place.slug]),
    }

    page = client_for(world.member_a).get(urls[where]).content.decode()

    assert "Private breakthrough" in page
    assert page.count(OWN_BADGE) == 1


def test_badge_on_a_question_about_a_private_entry_on_home(world: World) -> None:
    entry = entry_for(world, title="Our café pilot", visibility="commissioners")
    reviews.review_create(entry=entry, author=world.commissioner, kind="question", text="Who?")
    # Narrowed back to the organisation after the question was asked.
    entry.visibility = "organisation"
    entry.save(update_fields=["visibility"])

    page = home(world.member_a)

    assert "Our café pilot" in page
    assert OWN_BADGE in page


# --- Money without pence where it is whole -----------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "shown"), [(Decimal("8400000"), "£8,400,000"), (Decimal("12.50"), "£12.50")]
)
def test_money_shows_pence_only_when_there_are_some(
    world: World, budget: Decimal, shown: str
) -> None:
    profile = world.commissioner.commissioner_profile
    commission = factories.CommissionFactory(place=world.place, commissioner=profile, budget=budget)
    client = client_for(world.member_a)

    pages = [
        client.get(reverse("talking_points:commission_list")).content.decode(),
        client.get(commission.get_absolute_url()).content.decode(),
        client.get(
            reverse("talking_points:place_picture", args=[world.place.slug])
        ).content.decode(),
    ]

    for page in pages:
        assert shown in page
        assert f"{shown}.00" not in page


# --- Confirmation buttons say what they do -----------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
VAGUE = re.compile(r"^\s*(yes|no|ok|okay|confirm|sure|continue|submit)\b", re.IGNORECASE)


def test_no_button_in_any_template_says_only_yes_or_confirm() -> None:
    vague = []
    for path in TEMPLATES.rglob("*.html"):
        for label in re.findall(r"<button\b[^>]*>(.*?)</button>", path.read_text(), re.S):
            if VAGUE.match(re.sub(r"<[^>]+>|\{[%{].*?[%}]\}", "", label)):
                vague.append(f"{path.relative_to(TEMPLATES)}: {label.strip()}")

    assert vague == []


def confirm_pages(world: World) -> dict[str, tuple[Client, str, str]]:
    place = world.place
    profile = world.commissioner.commissioner_profile
    commission = factories.CommissionFactory(place=place, commissioner=profile)
    term = factories.GlossaryTermFactory(place=place)
    factories.ChampionFactory(place=place, user=world.member_a)
    relationship = factories.RelationshipFactory(
        place=place, source=world.org_a, target=world.org_b
    )
    story = entry_for(world, kind="story", body="A story.", visibility="organisation")
    factories.StoryConsentFactory(entry=story, widest_visibility="public")
    member = client_for(world.member_a)
    return {
        "consent": (
            member,
            reverse("talking_points:consent_withdraw", args=[story.pk]),
            "Withdraw consent",
        ),
        "entry": (
            member,
            reverse("talking_points:entry_delete", args=[story.pk]),
            "Delete this entry",
        ),
        "commission": (
            client_for(world.commissioner),
            reverse("talking_points:commission_delete", args=[commission.pk]),
            "Remove from the register",
        ),
        "glossary": (
            member,
            reverse("talking_points:glossary_delete", args=[place.slug, term.pk]),
            "Remove from the glossary",
        ),
        "champion": (
            member,
            reverse("talking_points:champion_step_down", args=[place.slug]),
            "Step down as a champion",
        ),
        "map": (
            client_for(world.facilitator),
            reverse("talking_points:relationship_remove", args=[place.slug, relationship.pk]),
            "Remove from the map",
        ),
        "leave": (
            client_for(world.facilitator),
            reverse("partnerships:forum_leave", args=[world.forum.slug]),
            "Leave this forum",
        ),
    }


@pytest.mark.parametrize(
    "which", ["consent", "entry", "commission", "glossary", "champion", "map", "leave"]
)
def test_confirm_button_says_what_it_does(world: World, which: str) -> None:
    client, url, label = confirm_pages(world)[which]

    response = client.get(url)

    assert response.status_code == 200
    buttons = re.findall(r"<button\b[^>]*>(.*?)</button>", response.content.decode(), re.S)
    assert label in buttons
