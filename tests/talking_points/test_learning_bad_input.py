"""Bad input to learning logs: a clear error, and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from talking_points.models import (
    LearningEntry,
    Review,
    StoryConsent,
    Tag,
    VisibilityChange,
)
from tests import factories
from tests.conftest import World, client_for


def valid_entry(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "organisation": world.org_a.pk,
        "kind": "breakthrough",
        "title": "A fine title",
        "body": "Some words.",
        "tags_text": "one, two",
        "visibility": "organisation",
    }
    data.update(overrides)
    return data


def post_entry(world: World, data: dict[str, Any], user: Any = None) -> Any:
    client = client_for(user or world.member_a)
    return client.post(reverse("talking_points:entry_create", args=[world.place.slug]), data)


def assert_nothing_stored() -> None:
    assert LearningEntry.objects.count() == 0
    assert StoryConsent.objects.count() == 0
    assert VisibilityChange.objects.count() == 0
    assert Tag.objects.count() == 0


def test_valid_entry_is_stored_as_a_control(world: World) -> None:
    assert post_entry(world, valid_entry(world)).status_code == 302
    assert LearningEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"body": "x" * 20001}, "What you want to say must be 20000 characters or fewer"),
        ({"title": ""}, "Enter a title"),
        ({"body": ""}, "Write what you want to say."),
        ({"body": "Hello <script>alert(1)</script>"}, "Remove the code"),
        ({"title": "<SCRIPT src=x>"}, "Remove the code"),
        ({"body": '<a href="x" onmouseover="steal()">hi</a>'}, "Remove the code"),
        ({"body": "[click](javascript:alert(1))"}, "Remove the code"),
        ({"tags_text": "<script>x</script>"}, "Remove the code"),
        ({"tags_text": ", ".join(f"t{n}" for n in range(11))}, "Use up to 10 tags."),
        ({"tags_text": "y" * 41}, "Keep each tag to 40 characters"),
        ({"kind": "gossip"}, "Choose a kind from the options given"),
        ({"visibility": "everyone"}, "Choose who can see this entry from the options given"),
        (
            {
                "kind": "experiment",
                "tried": "x",
                "experiment_status": "running",
                "review_date": "2026-02-30",
            },
            "When we will look at it again must be a real date",
        ),
        (
            {
                "kind": "experiment",
                "tried": "x",
                "experiment_status": "running",
                "review_date": "2999-01-01",
            },
            "Choose a review date within the next ten years.",
        ),
        ({"kind": "experiment", "tried": ""}, "Say what you tried."),
        ({"kind": "story", "visibility": "public"}, "can only be shared beyond your organisation"),
    ],
)
def test_bad_entry_is_refused_with_a_clear_error(
    world: World, overrides: dict[str, Any], message: str
) -> None:
    response = post_entry(world, valid_entry(world, **overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert_nothing_stored()


def test_script_is_never_echoed_back_unescaped(world: World) -> None:
    response = post_entry(world, valid_entry(world, title="<script>alert(1)</script>"))
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_story_wider_than_its_consent_is_refused(world: World) -> None:
    data = valid_entry(
        world,
        kind="story",
        visibility="public",
        **{
            "consent-given_by": "R.",
            "consent-method": "verbal",
            "consent-given_on": "2026-01-05",
            "consent-obtained_by": "Alex",
            "consent-widest_visibility": "commissioners",
        },
    )
    body = post_entry(world, data).content.decode()
    assert "agreed to sharing no wider than" in body
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("consent", "message"),
    [
        ({"consent-given_on": "2999-01-01"}, "Consent cannot have been given in the future."),
        ({"consent-given_on": "2026-13-01"}, "When consent was given must be a real date"),
        ({"consent-given_by": ""}, "Enter who gave consent"),
        ({"consent-given_by": "<script>x</script>"}, "Remove the code"),
        (
            {"consent-widest_visibility": "galaxy"},
            "Choose how widely they agreed to share it from the options given",
        ),
    ],
)
def test_story_with_bad_consent_is_refused(
    world: World, consent: dict[str, str], message: str
) -> None:
    data = valid_entry(
        world,
        kind="story",
        visibility="commissioners",
        **{
            "consent-given_by": "R.",
            "consent-method": "verbal",
            "consent-given_on": "2026-01-05",
            "consent-obtained_by": "Alex",
            "consent-widest_visibility": "public",
            **consent,
        },
    )
    body = post_entry(world, data).content.decode()
    assert message in body
    assert_nothing_stored()


def test_sharing_a_story_wider_than_consent_later_is_refused(world: World) -> None:
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, kind="story", visibility="commissioners"
    )
    factories.StoryConsentFactory(entry=entry, widest_visibility="commissioners")
    client = client_for(world.member_a)

    share = client.post(
        reverse("talking_points:entry_share", args=[entry.pk]), {"visibility": "place"}
    )
    edit = client.post(
        reverse("talking_points:entry_edit", args=[entry.pk]),
        {"kind": "story", "title": "T", "body": "B", "tags_text": "", "visibility": "public"},
    )
    sneak = client.post(
        reverse("talking_points:entry_edit", args=[entry.pk]),
        {"kind": "reflection", "title": "T", "body": "B", "tags_text": "", "visibility": "public"},
    )

    assert "agreed to sharing no wider than" in share.content.decode()
    assert "agreed to sharing no wider than" in edit.content.decode()
    assert "stays a story of change" in sneak.content.decode()
    entry.refresh_from_db()
    assert (entry.kind, entry.visibility) == ("story", "commissioners")
    assert VisibilityChange.objects.count() == 0


def test_entry_for_another_organisation_is_refused(world: World) -> None:
    body = post_entry(world, valid_entry(world, organisation=world.org_b.pk)).content.decode()
    assert "Choose an organisation from the options given" in body
    assert_nothing_stored()


def test_entry_for_another_place_is_refused(world: World) -> None:
    # Organisation A does not work in the other place, so it cannot write there.
    elsewhere_org = factories.OrganisationFactory(places=[world.other_place])
    factories.MembershipFactory(user=world.member_a, organisation=elsewhere_org)
    client = client_for(world.member_a)

    response = client.post(
        reverse("talking_points:entry_create", args=[world.other_place.slug]),
        valid_entry(world, organisation=world.org_a.pk),
    )

    assert "Choose an organisation from the options given" in response.content.decode()
    assert_nothing_stored()


def test_entry_for_a_place_where_you_have_no_organisation_is_forbidden(world: World) -> None:
    response = client_for(world.member_a).post(
        reverse("talking_points:entry_create", args=[world.other_place.slug]),
        valid_entry(world),
    )
    assert response.status_code == 403
    assert_nothing_stored()


def test_review_on_an_entry_not_shared_with_you_is_refused(world: World) -> None:
    private = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="organisation"
    )
    client = client_for(world.commissioner)

    response = client.post(
        reverse("talking_points:review_create", args=[private.pk]),
        {"kind": "question", "text": "Why?"},
    )

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert Review.objects.count() == 0


def test_review_by_someone_who_is_not_a_commissioner_is_refused(world: World) -> None:
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="place"
    )
    response = client_for(world.member_b).post(
        reverse("talking_points:review_create", args=[shared.pk]),
        {"kind": "acknowledge"},
    )
    assert response.status_code == 403
    assert Review.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "question", "text": ""}, "Write your question"),
        ({"kind": "support", "text": "x" * 4001}, "Message must be 4000 characters or fewer"),
        ({"kind": "reply", "text": "x"}, "Choose your response from the options given"),
        ({"kind": "question", "text": "<script>x</script>"}, "Remove the code"),
    ],
)
def test_bad_review_is_refused(world: World, data: dict[str, str], message: str) -> None:
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners"
    )
    response = client_for(world.commissioner).post(
        reverse("talking_points:review_create", args=[shared.pk]), data
    )
    assert message in response.content.decode()
    assert Review.objects.count() == 0


def test_bad_reply_is_refused(world: World) -> None:
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners"
    )
    review = factories.ReviewFactory(entry=shared, author=world.commissioner)
    client = client_for(world.member_a)
    for text, message in (
        ("", "Enter your reply"),
        ("x" * 4001, "Your reply must be 4000 characters or fewer"),
    ):
        response = client.post(
            reverse("talking_points:review_reply", args=[review.pk]), {"text": text}
        )
        assert message in response.content.decode()
    assert Review.objects.count() == 1


def test_oversized_post_is_a_clear_400_not_a_crash(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_entry(world, valid_entry(world, body="x" * 5000))
    assert response.status_code == 400
    assert_nothing_stored()


def test_unknown_filter_values_are_explained(client: Client, world: World) -> None:
    url = reverse("talking_points:learning_log", args=[world.place.slug])
    body = client.get(url + "?organisation=no-such-org&kind=gossip").content.decode()
    assert "There is a problem" in body
    assert "Choose a kind from the options given" in body
