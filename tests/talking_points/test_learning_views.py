"""Learning logs through their pages: write, share, read, review, connect, take away."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from talking_points.models import (
    LearningEntry,
    LearningLink,
    Review,
    ReviewRead,
    StoryConsent,
    VisibilityChange,
)
from tests import factories
from tests.conftest import World, client_for


def log_url(world: World, query: str = "") -> str:
    url = reverse("talking_points:learning_log", args=[world.place.slug])
    return f"{url}?{query}" if query else url


def entry_for(world: World, **kwargs: Any) -> Any:
    kwargs.setdefault("place", world.place)
    kwargs.setdefault("organisation", world.org_a)
    return factories.LearningEntryFactory(**kwargs)


EXPERIMENT = {
    "organisation": "",
    "kind": "experiment",
    "title": "Evening drop-in",
    "body": "",
    "tried": "We opened on **Thursday** evenings.",
    "happened": "Twelve people came.",
    "learned": "Evenings reach people in work.",
    "next_steps": "Keep going.",
    "experiment_status": "running",
    "review_date": "2027-03-01",
    "tags_text": "peer support, evenings, Peer Support",
    "visibility": "commissioners",
}


# --- Writing ---------------------------------------------------------------------------


def test_member_writes_an_experiment_and_sees_it(world: World) -> None:
    client = client_for(world.member_a)
    data = {**EXPERIMENT, "organisation": world.org_a.pk}

    response = client.post(reverse("talking_points:entry_create", args=[world.place.slug]), data)

    entry = LearningEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.kind, entry.experiment_status, str(entry.review_date)) == (
        "experiment",
        "running",
        "2027-03-01",
    )
    assert entry.author == world.member_a
    assert sorted(t.name for t in entry.tags.all()) == ["evenings", "peer support"]
    change = VisibilityChange.objects.get(entry=entry)
    assert (change.changed_by, change.from_visibility, change.to_visibility) == (
        world.member_a,
        "organisation",
        "commissioners",
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "<strong>Thursday</strong>" in page
    assert "What we tried" in page
    assert "widened it from" in page


def test_create_page_is_refused_to_someone_outside_the_place(world: World) -> None:
    outsider = factories.MembershipFactory(
        organisation=factories.OrganisationFactory(places=[world.other_place])
    ).user
    response = client_for(outsider).get(
        reverse("talking_points:entry_create", args=[world.place.slug])
    )
    assert response.status_code == 403
    assert "once your organisation works there" in response.content.decode()


def test_create_page_sends_anonymous_visitors_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("talking_points:entry_create", args=[world.place.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_markdown_is_rendered_and_sanitised(world: World) -> None:
    entry = entry_for(
        world,
        visibility="public",
        body="# Heading\n\n[good](https://example.org) [bad](javascript:alert(1)) "
        "<b onclick=x>b</b> <img src=x>",
    )
    page = Client().get(entry.get_absolute_url()).content.decode()
    assert "<h3>Heading</h3>" in page
    assert 'href="https://example.org"' in page
    assert "javascript:" not in page
    assert "onclick" not in page
    assert "<img" not in page
    assert page.count("<h1") == 1


def test_entry_text_explains_the_places_terms_inside_the_sanitised_html(world: World) -> None:
    factories.GlossaryTermFactory(place=world.place, term="alliance", meaning="All of us.")
    entry = entry_for(
        world,
        visibility="public",
        body="The **alliance** & the [alliance site](https://example.org/alliance).",
    )
    page = Client().get(entry.get_absolute_url()).content.decode()
    assert '<strong><span class="term"><dfn tabindex="0"' in page
    assert ">alliance</dfn>" in page
    assert "All of us." in page
    assert '<a href="https://example.org/alliance" rel="nofollow noopener noreferrer">' in page
    assert ">alliance site</a>" in page
    assert "&amp; the" in page
    assert "&amp;amp;" not in page


def test_editing_records_a_visibility_change_and_keeps_the_source(world: World) -> None:
    entry = entry_for(world, kind="reflection", body="First *words*.", visibility="place")
    client = client_for(world.lead_a)
    data = {
        "kind": "reflection",
        "title": "New title",
        "body": "Second *words*.",
        "tags_text": "trust",
        "visibility": "organisation",
    }

    response = client.post(reverse("talking_points:entry_edit", args=[entry.pk]), data)

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.title, entry.body, entry.visibility) == (
        "New title",
        "Second *words*.",
        "organisation",
    )
    change = entry.visibility_changes.get()
    assert (change.changed_by, change.from_visibility, change.to_visibility) == (
        world.lead_a,
        "place",
        "organisation",
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "narrowed it from" in page


def test_someone_who_can_see_but_not_edit_is_refused_edit_share_and_delete(
    world: World,
) -> None:
    entry = entry_for(world, visibility="place")
    client = client_for(world.member_b)
    for name in ("entry_edit", "entry_share", "entry_delete", "entry_link_add"):
        assert client.get(reverse(f"talking_points:{name}", args=[entry.pk])).status_code == 403
    response = client.post(
        reverse("talking_points:entry_share", args=[entry.pk]), {"visibility": "public"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.visibility == "place"


def test_someone_who_cannot_see_gets_404_on_every_entry_page(world: World) -> None:
    entry = entry_for(world, visibility="organisation")
    client = client_for(world.member_b)
    for name in (
        "entry_detail",
        "entry_edit",
        "entry_share",
        "entry_delete",
        "entry_link_add",
        "consent_record",
        "consent_withdraw",
        "review_create",
    ):
        response = client.get(reverse(f"talking_points:{name}", args=[entry.pk]))
        assert response.status_code == 404, name
        assert entry.title not in response.content.decode()
    assert (
        client.post(reverse("talking_points:entry_mark_read", args=[entry.pk])).status_code == 404
    )


def test_delete_asks_first_then_deletes(world: World) -> None:
    entry = entry_for(world)
    client = client_for(world.member_a)
    url = reverse("talking_points:entry_delete", args=[entry.pk])

    confirm = client.get(url)
    assert "Delete this entry" in confirm.content.decode()
    assert LearningEntry.objects.filter(pk=entry.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not LearningEntry.objects.filter(pk=entry.pk).exists()


def test_share_page_widens_and_records_who_when_from_to(world: World) -> None:
    entry = entry_for(world)
    client = client_for(world.member_a)

    response = client.post(
        reverse("talking_points:entry_share", args=[entry.pk]), {"visibility": "public"}
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == "public"
    change = entry.visibility_changes.get()
    assert (change.changed_by, change.from_visibility, change.to_visibility) == (
        world.member_a,
        "organisation",
        "public",
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Sharing history" in page
    assert str(world.member_a) in page


# --- Stories of change ----------------------------------------------------------------------


def test_story_with_consent_can_be_shared_as_widely_as_consented(world: World) -> None:
    client = client_for(world.member_a)
    data = {
        "organisation": world.org_a.pk,
        "kind": "story",
        "title": "R.'s year",
        "body": "R. found work.",
        "tags_text": "",
        "visibility": "place",
        "consent-given_by": "R. (pseudonym)",
        "consent-method": "written",
        "consent-given_on": "2026-01-05",
        "consent-obtained_by": "Alex Green",
        "consent-widest_visibility": "place",
    }

    response = client.post(reverse("talking_points:entry_create", args=[world.place.slug]), data)

    assert response.status_code == 302
    entry = LearningEntry.objects.get()
    consent = StoryConsent.objects.get(entry=entry)
    assert (entry.visibility, consent.given_by, consent.method, consent.widest_visibility) == (
        "place",
        "R. (pseudonym)",
        "written",
        "place",
    )
    assert consent.recorded_by == world.member_a
    # Colleagues see the consent record; the place sees only that consent was given.
    assert "R. (pseudonym)" in client.get(entry.get_absolute_url()).content.decode()
    other = client_for(world.member_b).get(entry.get_absolute_url()).content.decode()
    assert "R. (pseudonym)" not in other
    assert "Shared with the consent" in other


def test_story_consent_withdrawal_page_confirms_then_narrows(world: World) -> None:
    entry = entry_for(world, kind="story", body="A story.", visibility="public")
    factories.StoryConsentFactory(entry=entry, widest_visibility="public")
    client = client_for(world.member_a)
    url = reverse("talking_points:consent_withdraw", args=[entry.pk])

    assert "Withdraw consent</button>" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == "organisation"
    assert client_for(world.commissioner).get(entry.get_absolute_url()).status_code == 404
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Consent withdrawn" in page


def test_recording_narrower_consent_narrows_the_story_at_once(world: World) -> None:
    entry = entry_for(world, kind="story", body="A story.", visibility="public")
    factories.StoryConsentFactory(entry=entry, widest_visibility="public")
    client = client_for(world.member_a)

    response = client.post(
        reverse("talking_points:consent_record", args=[entry.pk]),
        {
            "given_by": "R.",
            "method": "verbal",
            "given_on": "2026-02-01",
            "obtained_by": "Alex",
            "widest_visibility": "commissioners",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == "commissioners"
    assert entry.visibility_changes.get().reason == "Consent recorded for narrower sharing"


def test_consent_page_is_refused_for_other_kinds(world: World) -> None:
    entry = entry_for(world, kind="breakthrough")
    response = client_for(world.member_a).get(
        reverse("talking_points:consent_record", args=[entry.pk])
    )
    assert response.status_code == 403


# --- Reading: the place's log ----------------------------------------------------------------


def test_log_lists_newest_first_and_paginates(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    for n in range(5):
        entry_for(world, title=f"Entry {n}", visibility="public")
    client = Client()

    def older(body: str) -> str:
        match = re.search(r'<a href="\?([^"]*)" rel="next">Older entries</a>', body)
        assert match is not None
        return match.group(1).replace("&amp;", "&")

    first = client.get(log_url(world)).content.decode()
    second = client.get(log_url(world, older(first))).content.decode()
    third = client.get(log_url(world, older(second))).content.decode()

    assert first.index("Entry 4") < first.index("Entry 3")
    assert "Entry 2" not in first
    assert "Entry 0" in third
    assert "Entry 2" not in third
    assert 'rel="next"' not in third  # the oldest page: no older link
    assert "Newer entries" in third


def test_log_filters_by_kind_organisation_tag_and_date(world: World) -> None:
    tag = factories.TagFactory(name="housing", slug="housing")
    a = entry_for(world, title="Alpha breakthrough", kind="breakthrough", visibility="public")
    a.tags.add(tag)
    entry_for(world, title="Beta disappointment", kind="disappointment", visibility="public")
    entry_for(
        world,
        title="Gamma from B",
        organisation=world.org_b,
        kind="breakthrough",
        visibility="public",
    )
    old = entry_for(world, title="Delta long ago", visibility="public")
    LearningEntry.objects.filter(pk=old.pk).update(created_at="2020-01-01T12:00:00Z")
    client = Client()

    def titles(query: str) -> set[str]:
        body = client.get(log_url(world, query)).content.decode()
        return {t for t in ("Alpha", "Beta", "Gamma", "Delta") if t in body}

    assert titles("kind=breakthrough") == {"Alpha", "Gamma", "Delta"}
    assert titles("organisation=org-b") == {"Gamma"}
    assert titles("tag=housing") == {"Alpha"}
    assert titles("date_to=2020-12-31") == {"Delta"}
    assert titles("date_from=2021-01-01&kind=breakthrough&organisation=org-a") == {"Alpha"}


def test_log_filter_errors_are_explained_and_list_nothing(world: World) -> None:
    entry_for(world, title="Alpha", visibility="public")
    response = Client().get(log_url(world, "date_from=2026-05-01&date_to=2026-04-01"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The end date must be on or after the start date." in body
    assert "Alpha" not in body
    response = Client().get(log_url(world, "date_from=2026-02-30"))
    assert "Written from must be a real date" in response.content.decode()


def test_log_htmx_request_gets_only_the_results_fragment(world: World) -> None:
    entry_for(world, title="Alpha", visibility="public")
    response = Client().get(log_url(world, "kind=breakthrough"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="learning-results"' in body
    assert "<h1" not in body
    assert "Alpha" in body
    assert 'data-hx-swap-oob="innerHTML:#status"' in body


def test_log_filter_form_works_without_javascript_and_pushes_the_url(world: World) -> None:
    body = Client().get(log_url(world)).content.decode()
    assert 'method="get"' in body
    assert 'data-hx-push-url="true"' in body
    assert f'action="{log_url(world)}"' in body


def test_unknown_place_log_is_404(client: Client, db: None) -> None:
    response = client.get(reverse("talking_points:learning_log", args=["nowhere"]))
    assert response.status_code == 404


def test_side_by_side_shows_breakthroughs_and_disappointments(world: World) -> None:
    entry_for(world, title="Up", kind="breakthrough", visibility="public")
    entry_for(world, title="Down", kind="disappointment", visibility="public")
    entry_for(world, title="Sideways", kind="reflection", visibility="public")
    body = (
        Client()
        .get(reverse("talking_points:learning_compare", args=[world.place.slug]))
        .content.decode()
    )
    assert body.index("Breakthroughs") < body.index("Up") < body.index("Disappointments")
    assert body.index("Disappointments") < body.index("Down")
    assert "Sideways" not in body


# --- Search --------------------------------------------------------------------------------


def test_search_finds_words_across_fields_and_places(world: World) -> None:
    entry_for(world, title="Kitchen", body="We cooked together on Fridays", visibility="public")
    entry_for(
        world,
        title="Elsewhere",
        place=world.other_place,
        body="Friday cooking again",
        visibility="public",
    )
    entry_for(world, title="Unrelated", body="Bus routes", visibility="public")
    client = Client()

    body = client.get(reverse("talking_points:learning_search") + "?q=cooked+Fridays").content
    scoped = client.get(
        reverse("talking_points:learning_search") + f"?q=Friday&place={world.other_place.slug}"
    ).content

    assert b"Kitchen" in body
    assert b"Unrelated" not in body
    assert b"Elsewhere" in scoped
    assert b"Kitchen" not in scoped


def test_empty_search_asks_for_words(client: Client, db: None) -> None:
    body = client.get(reverse("talking_points:learning_search")).content.decode()
    assert "Type a word or phrase to search." in body


# --- Take it away -----------------------------------------------------------------------------


def test_csv_export_has_the_visible_entries_and_defuses_formulas(world: World) -> None:
    entry_for(world, title="=HYPERLINK(1)", body="Plain *text*", visibility="public")
    response = Client().get(reverse("talking_points:learning_export_csv", args=[world.place.slug]))
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert rows[0][:3] == ["Written on", "Kind", "Title"]
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert rows[1][6] == "Plain text"


def test_print_page_shows_full_text(world: World) -> None:
    entry_for(world, title="Printable", body="The **whole** story.", visibility="public")
    body = (
        Client()
        .get(reverse("talking_points:learning_print", args=[world.place.slug]))
        .content.decode()
    )
    assert "<strong>whole</strong>" in body
    assert "Printable" in body


def test_print_page_explains_terms_with_one_glossary_query(
    world: World, django_assert_max_num_queries: Any
) -> None:
    factories.GlossaryTermFactory(place=world.place, term="alliance", meaning="All of us.")
    entry_for(world, title="One", body="The alliance met.", visibility="public")
    url = reverse("talking_points:learning_print", args=[world.place.slug])
    client = Client()
    with django_assert_max_num_queries(50) as first:
        client.get(url)
    for i in range(5):
        entry_for(world, title=f"More {i}", body="The alliance met again.", visibility="public")

    with django_assert_max_num_queries(50) as second:
        body = client.get(url).content.decode()

    assert body.count(">alliance</dfn>") == 6
    assert len(second.captured_queries) == len(first.captured_queries)


def test_atom_feed_is_valid_and_lists_public_entries(world: World) -> None:
    entry_for(world, title="Open learning", body="For *everyone*.", visibility="public")
    response = Client().get(reverse("talking_points:learning_feed", args=[world.place.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == ["Breakthrough: Open learning"]


# --- Review -------------------------------------------------------------------------------------


def test_review_queue_is_refused_to_people_who_are_not_commissioners(world: World) -> None:
    response = client_for(world.member_a).get(reverse("talking_points:review_queue"))
    assert response.status_code == 403
    assert "The review queue is for commissioners" in response.content.decode()
    anonymous = Client().get(reverse("talking_points:review_queue"))
    assert anonymous.status_code == 302


def test_review_queue_puts_unread_first_and_can_mark_read(world: World) -> None:
    older = entry_for(world, title="Older unread", visibility="commissioners")
    newer_read = entry_for(world, title="Newer read", visibility="place")
    LearningEntry.objects.filter(pk=older.pk).update(created_at="2026-01-01T10:00:00Z")
    ReviewRead.objects.create(entry=newer_read, user=world.commissioner)
    entry_for(world, title="Not shared", visibility="organisation")
    entry_for(world, title="Other place", place=world.other_place, visibility="public")
    client = client_for(world.commissioner)
    url = reverse("talking_points:review_queue")

    unread_only = client.get(url).content.decode()
    everything = client.get(url + "?show=all").content.decode()

    assert "Older unread" in unread_only
    assert "Newer read" not in unread_only
    assert everything.index("Older unread") < everything.index("Newer read")
    assert "Not shared" not in everything
    assert "Other place" not in everything

    response = client.post(
        reverse("talking_points:entry_mark_read", args=[older.pk]),
        {"read": "1", "next": url},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert ReviewRead.objects.filter(entry=older, user=world.commissioner).exists()
    assert "You are up to date" in client.get(url).content.decode()


def test_mark_read_ignores_an_offsite_next(world: World) -> None:
    entry = entry_for(world, visibility="commissioners")
    response = client_for(world.commissioner).post(
        reverse("talking_points:entry_mark_read", args=[entry.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == entry.get_absolute_url()


def test_commissioner_responds_and_the_organisation_sees_and_replies(
    world: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    entry = entry_for(world, title="Drop-in", visibility="commissioners", author=world.member_a)
    commissioner = client_for(world.commissioner)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = commissioner.post(
            reverse("talking_points:review_create", args=[entry.pk]),
            {"kind": "question", "text": "What would help the mentors?"},
        )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.author, review.kind, review.text) == (
        world.commissioner,
        "question",
        "What would help the mentors?",
    )
    # The email is queued after commit, not before.
    assert len(mailoutbox) == 0
    assert len(callbacks) == 1
    assert any("notify_review" in repr(callback) for callback in callbacks)
    assert ReviewRead.objects.filter(entry=entry, user=world.commissioner).exists()

    member = client_for(world.member_a)
    page = member.get(entry.get_absolute_url()).content.decode()
    assert "asked a question" in page
    assert "What would help the mentors?" in page

    response = member.post(
        reverse("talking_points:review_reply", args=[review.pk]), {"text": "Paid debriefs."}
    )
    assert response.status_code == 302
    reply = Review.objects.get(kind="reply")
    assert (reply.in_reply_to, reply.author) == (review, world.member_a)
    assert "Paid debriefs." in commissioner.get(entry.get_absolute_url()).content.decode()
    # Other readers of the entry do not see the conversation.
    LearningEntry.objects.filter(pk=entry.pk).update(visibility="place")
    assert (
        "Paid debriefs."
        not in client_for(world.member_b).get(entry.get_absolute_url()).content.decode()
    )


def test_reply_is_refused_to_people_outside_the_conversation(world: World) -> None:
    entry = entry_for(world, visibility="place")
    review = factories.ReviewFactory(entry=entry, author=world.commissioner)
    response = client_for(world.member_b).post(
        reverse("talking_points:review_reply", args=[review.pk]), {"text": "Me too"}
    )
    assert response.status_code == 403
    assert Review.objects.count() == 1
    hidden = entry_for(world, visibility="organisation")
    hidden_review = factories.ReviewFactory(entry=hidden, author=world.lead_a)
    response = client_for(world.member_b).get(
        reverse("talking_points:review_reply", args=[hidden_review.pk])
    )
    assert response.status_code == 404


def test_a_public_entry_elsewhere_cannot_be_reviewed_by_this_commissioner(world: World) -> None:
    entry = entry_for(world, place=world.other_place, visibility="public")
    response = client_for(world.commissioner).post(
        reverse("talking_points:review_create", args=[entry.pk]), {"kind": "acknowledge"}
    )
    assert response.status_code == 403
    assert "Only a commissioner who covers this place" in response.content.decode()
    assert Review.objects.count() == 0


# --- Connect ----------------------------------------------------------------------------------


def test_links_show_both_ways(world: World) -> None:
    disappointment = entry_for(world, title="Form put people off", kind="disappointment")
    experiment = entry_for(world, title="Shorter form", kind="experiment", tried="One page")
    client = client_for(world.member_a)

    response = client.post(
        reverse("talking_points:entry_link_add", args=[experiment.pk]),
        {"relation": "came_from", "other_entry": disappointment.pk},
    )

    assert response.status_code == 302
    assert LearningLink.objects.get().other_entry == disappointment
    forward = client.get(experiment.get_absolute_url()).content.decode()
    backward = client.get(disappointment.get_absolute_url()).content.decode()
    assert "This entry came from" in forward
    assert "Form put people off" in forward
    assert "Shorter form" in backward
    assert "came from this entry" in backward


def test_links_to_a_session_and_a_decision_show_both_ways(world: World) -> None:
    entry = entry_for(world, title="Came from the forum", visibility="place")
    session = factories.SessionFactory(forum=world.forum)
    decision = factories.DecisionFactory(session=session, text="Meet at the library")
    # A planned session is seen by its forum's members only.
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    client = client_for(world.member_a)
    url = reverse("talking_points:entry_link_add", args=[entry.pk])

    client.post(url, {"relation": "came_from", "session": session.pk})
    client.post(url, {"relation": "led_to", "decision": decision.pk})

    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Meet at the library" in page
    from_session = client.get(
        reverse("talking_points:session_learning", args=[session.pk])
    ).content.decode()
    from_decision = client.get(
        reverse("talking_points:decision_learning", args=[decision.pk])
    ).content.decode()
    assert "Came from the forum" in from_session
    assert "Came from the forum" in from_decision


def test_link_must_have_exactly_one_target(world: World) -> None:
    entry = entry_for(world)
    other = entry_for(world)
    # A session member_a may read: its summary is shared with the place.
    session = factories.SessionFactory(
        forum=world.forum, status="closed", summary_visibility="place"
    )
    client = client_for(world.member_a)
    url = reverse("talking_points:entry_link_add", args=[entry.pk])

    none = client.post(url, {"relation": "came_from"})
    both = client.post(
        url, {"relation": "came_from", "other_entry": other.pk, "session": session.pk}
    )

    assert "Choose one thing to connect" in none.content.decode()
    assert "Choose one thing to connect" in both.content.decode()
    assert LearningLink.objects.count() == 0


def test_link_to_an_entry_you_cannot_see_or_in_another_place_is_refused(world: World) -> None:
    entry = entry_for(world)
    hidden = entry_for(world, organisation=world.org_b, visibility="organisation")
    elsewhere = entry_for(world, place=world.other_place, visibility="public")
    client = client_for(world.member_a)
    url = reverse("talking_points:entry_link_add", args=[entry.pk])

    for target in (hidden, elsewhere):
        response = client.post(url, {"relation": "relates_to", "other_entry": target.pk})
        assert "Choose another learning entry from the options given" in response.content.decode()
    assert LearningLink.objects.count() == 0


def test_link_removal_is_refused_to_others(world: World) -> None:
    entry = entry_for(world, visibility="place")
    link = LearningLink.objects.create(entry=entry, other_entry=entry_for(world))
    url = reverse("talking_points:entry_link_remove", args=[link.pk])
    assert client_for(world.member_b).post(url).status_code == 403
    assert client_for(world.staff).post(url).status_code == 404
    assert client_for(world.member_a).post(url).status_code == 302
    assert LearningLink.objects.count() == 0


# --- Links from the rest of the site ------------------------------------------------------------


def test_place_page_and_dashboard_link_to_the_learning_log(world: World) -> None:
    place_page = Client().get(world.place.get_absolute_url()).content.decode()
    assert log_url(world) in place_page
    dashboard = client_for(world.commissioner).get(reverse("talking_points:dashboard"))
    body = dashboard.content.decode()
    assert log_url(world) in body
    assert reverse("talking_points:review_queue") in body


# --- Query counts ------------------------------------------------------------------------


def _grow(world: World, n: int) -> None:
    tag = factories.TagFactory(name="grow", slug="grow")
    for i in range(n):
        kind = "breakthrough" if i % 2 else "disappointment"
        e = entry_for(world, title=f"Grown {i}", visibility="public", kind=kind)
        e.tags.add(tag, factories.TagFactory())
        factories.ReviewFactory(entry=e, author=world.commissioner)


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        # The log no longer counts its entries or lists the tags the reader may see
        # (keyset pages, a typed tag filter).
        ("learning_log", "anonymous", 4),
        ("learning_log", "commissioner", 4),
        ("learning_compare", "commissioner", 5),
        ("learning_print", "member_b", 5),  # one of them: the glossary, for explained terms
        ("review_queue", "commissioner", 3),
    ],
)
def test_list_pages_use_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any, name: str, persona: str, expected: int
) -> None:
    client = client_for(world.user(persona))
    url = (
        reverse(f"talking_points:{name}")
        if name == "review_queue"
        else reverse(f"talking_points:{name}", args=[world.place.slug])
    )
    _grow(world, 3)
    client.get(url)  # warm the session
    with django_assert_num_queries(expected):
        small = client.get(url)
    _grow(world, 12)
    with django_assert_num_queries(expected):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert large.content.count(b"Grown") > small.content.count(b"Grown")


def test_entry_detail_uses_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    entry = entry_for(world, visibility="commissioners", kind="story", body="A story")
    factories.StoryConsentFactory(entry=entry, widest_visibility="public")
    client = client_for(world.member_a)

    def grow() -> None:
        review = factories.ReviewFactory(entry=entry, author=world.commissioner)
        factories.ReviewFactory(
            entry=entry, author=world.member_a, kind="reply", in_reply_to=review
        )
        entry.tags.add(factories.TagFactory())
        LearningLink.objects.create(entry=entry, other_entry=entry_for(world))
        LearningLink.objects.create(entry=entry_for(world), other_entry=entry)
        VisibilityChange.objects.create(
            entry=entry, from_visibility="organisation", to_visibility="commissioners"
        )

    grow()
    client.get(entry.get_absolute_url())
    # Among them: the place's glossary, and (for a story) whether the reader is a
    # commissioner, whose opening it the audit log records; and the entry's conversations.
    with django_assert_num_queries(14):
        client.get(entry.get_absolute_url())
    for _ in range(4):
        grow()
    with django_assert_num_queries(14):
        response = client.get(entry.get_absolute_url())
    assert response.status_code == 200


def test_csv_export_uses_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    url = reverse("talking_points:learning_export_csv", args=[world.place.slug])
    _grow(world, 3)
    with django_assert_num_queries(3):
        b"".join(Client().get(url).streaming_content)
    _grow(world, 20)
    with django_assert_num_queries(3):
        b"".join(Client().get(url).streaming_content)


# --- Outsiders are refused, everywhere ----------------------------------------------------------

LOGIN_REQUIRED = [
    ("entry_edit", "get"),
    ("entry_delete", "post"),
    ("entry_share", "post"),
    ("consent_record", "post"),
    ("consent_withdraw", "post"),
    ("entry_link_add", "post"),
    ("entry_mark_read", "post"),
    ("review_create", "post"),
]


@pytest.mark.parametrize(("name", "method"), LOGIN_REQUIRED)
def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(
    world: World, name: str, method: str
) -> None:
    entry = entry_for(world, kind="story", visibility="public", body="A story")
    factories.StoryConsentFactory(entry=entry)
    url = reverse(f"talking_points:{name}", args=[entry.pk])

    response = getattr(Client(), method)(url, {"visibility": "organisation", "kind": "question"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    entry.refresh_from_db()
    assert entry.visibility == "public"
    assert StoryConsent.objects.get(entry=entry).withdrawn_at is None
    assert Review.objects.count() == 0


def test_reader_outside_the_organisation_cannot_touch_consent_or_mark_read(world: World) -> None:
    entry = entry_for(world, kind="story", visibility="place", body="A story")
    factories.StoryConsentFactory(entry=entry, widest_visibility="place")
    client = client_for(world.member_b)

    for name in ("consent_record", "consent_withdraw", "entry_mark_read"):
        response = client.post(reverse(f"talking_points:{name}", args=[entry.pk]))
        assert response.status_code == 403, name
    assert StoryConsent.objects.get(entry=entry).withdrawn_at is None
    assert ReviewRead.objects.count() == 0


def test_decision_page_lists_only_linked_learning_the_reader_may_see(world: World) -> None:
    # A closed session whose summary is shared with the place's partnership.
    session = factories.SessionFactory(
        forum=world.forum, status="closed", summary_visibility="place"
    )
    decision = factories.DecisionFactory(session=session)
    private = entry_for(world, title="Private learning", visibility="organisation")
    shared = entry_for(world, title="Shared learning", visibility="place")
    for entry in (private, shared):
        LearningLink.objects.create(entry=entry, decision=decision)
    url = reverse("talking_points:decision_learning", args=[decision.pk])

    outsider = client_for(world.member_b).get(url).content.decode()
    colleague = client_for(world.member_a).get(url).content.decode()
    anonymous = Client().get(url)

    assert "Shared learning" in outsider
    assert "Private learning" not in outsider
    assert "Private learning" in colleague
    assert anonymous.status_code == 404  # the summary is shared with the place, not the public
    assert decision.text not in anonymous.content.decode()
    assert Client().get(reverse("talking_points:decision_learning", args=[999])).status_code == 404


def test_htmx_fragment_carries_filter_errors(world: World) -> None:
    response = Client().get(
        log_url(world, "date_from=2026-05-01&date_to=2026-04-01"), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Fix the filters to see entries." in body
