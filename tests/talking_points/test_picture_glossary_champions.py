"""The place glossary (shared language) and champions."""

from __future__ import annotations

import html

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from partnerships.models import Champion, GlossaryTerm
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.picture_fixtures import Outsider, outsider_fixture  # noqa: F401


def glossary_url(world: World) -> str:
    return reverse("talking_points:glossary", kwargs={"slug": world.place.slug})


def champions_url(world: World) -> str:
    return reverse("talking_points:champions", kwargs={"slug": world.place.slug})


def test_partner_adds_a_glossary_term(world: World) -> None:
    response = client_for(world.member_b).post(
        glossary_url(world), {"term": "  pooled   budget ", "meaning": "One pot of money."}
    )
    term = GlossaryTerm.objects.get()
    assert response.status_code == 302
    assert (term.term, term.meaning, term.place) == (
        "pooled budget",
        "One pot of money.",
        world.place,
    )
    assert term.created_by == world.member_b


@pytest.mark.parametrize("spelling", ["Alliance", "ALLIANCE", "alliance"])
def test_duplicate_term_is_refused_whatever_its_capitals(world: World, spelling: str) -> None:
    factories.GlossaryTermFactory(place=world.place, term="alliance")
    response = client_for(world.member_a).post(
        glossary_url(world), {"term": spelling, "meaning": "Again."}
    )
    content = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "“alliance” is already in Testford's glossary. Change that entry instead." in content
    assert GlossaryTerm.objects.count() == 1


def test_duplicate_term_is_refused_by_the_database(world: World) -> None:
    factories.GlossaryTermFactory(place=world.place, term="Alliance")
    with pytest.raises(IntegrityError):
        factories.GlossaryTermFactory(place=world.place, term="aLLiance")


def test_same_term_in_another_place_is_fine(world: World) -> None:
    factories.GlossaryTermFactory(place=world.other_place, term="alliance")
    client_for(world.member_a).post(glossary_url(world), {"term": "alliance", "meaning": "Ours."})
    assert GlossaryTerm.objects.filter(place=world.place).count() == 1


def test_glossary_is_public_but_only_partners_edit(
    client: Client, world: World, outsider: Outsider
) -> None:
    factories.GlossaryTermFactory(place=world.place, term="alliance", meaning="One team.")
    assert "One team." in client.get(glossary_url(world)).content.decode()
    for user in (None, outsider.user, world.staff):
        response = client_for(user).post(glossary_url(world), {"term": "x", "meaning": "y"})
        assert response.status_code == 403
    assert GlossaryTerm.objects.count() == 1


def test_partner_changes_and_removes_a_term(world: World) -> None:
    term = factories.GlossaryTermFactory(place=world.place, term="alliance")
    client = client_for(world.commissioner)
    edit = reverse("talking_points:glossary_edit", kwargs={"slug": "testford", "pk": term.pk})
    remove = reverse("talking_points:glossary_delete", kwargs={"slug": "testford", "pk": term.pk})
    client.post(edit, {"term": "Alliance", "meaning": "Changed."})
    term.refresh_from_db()
    assert (term.term, term.meaning, term.updated_by) == (
        "Alliance",
        "Changed.",
        world.commissioner,
    )
    assert "Remove “Alliance” from the glossary?" in client.get(remove).content.decode()
    client.post(remove)
    assert GlossaryTerm.objects.count() == 0


def test_outsider_cannot_change_a_term(world: World, outsider: Outsider) -> None:
    term = factories.GlossaryTermFactory(place=world.place, term="alliance")
    edit = reverse("talking_points:glossary_edit", kwargs={"slug": "testford", "pk": term.pk})
    response = client_for(outsider.user).post(edit, {"term": "hacked", "meaning": "no"})
    term.refresh_from_db()
    assert response.status_code == 403
    assert term.term == "alliance"


def test_glossary_term_is_explained_in_forum_purpose(client: Client, world: World) -> None:
    factories.GlossaryTermFactory(place=world.place, term="learning circle", meaning="Our meet.")
    world.forum.purpose = "Our Learning Circle meets weekly."
    world.forum.save()
    content = client.get(world.forum.get_absolute_url()).content.decode()
    assert ">Learning Circle</dfn>" in content
    assert "Our meet." in content


def test_partner_stands_as_a_champion_and_the_place_shows_them(
    client: Client, world: World
) -> None:
    response = client_for(world.lead_a).post(
        champions_url(world), {"can_help_with": "Starting your first learning log."}
    )
    assert response.status_code == 302
    assert Champion.objects.get().user == world.lead_a
    dashboard = client.get(reverse("talking_points:place_picture", kwargs={"slug": "testford"}))
    assert world.lead_a.full_name in html.unescape(dashboard.content.decode())
    assert "Starting your first learning log." in dashboard.content.decode()


def test_standing_again_updates_the_offer(world: World) -> None:
    client = client_for(world.lead_a)
    client.post(champions_url(world), {"can_help_with": "First."})
    client.post(champions_url(world), {"can_help_with": "Second."})
    assert list(Champion.objects.values_list("can_help_with", flat=True)) == ["Second."]


def test_champion_needs_something_to_offer(world: World) -> None:
    response = client_for(world.lead_a).post(champions_url(world), {"can_help_with": ""})
    assert response.status_code == 400
    assert Champion.objects.count() == 0


def test_outsider_cannot_stand_for_the_place(world: World, outsider: Outsider) -> None:
    response = client_for(outsider.user).post(champions_url(world), {"can_help_with": "Me!"})
    assert response.status_code == 403
    assert Champion.objects.count() == 0


def test_champion_steps_down_after_confirming(world: World) -> None:
    factories.ChampionFactory(place=world.place, user=world.lead_a)
    client = client_for(world.lead_a)
    url = reverse("talking_points:champion_step_down", kwargs={"slug": "testford"})
    assert "Step down as a champion for Testford?" in client.get(url).content.decode()
    client.post(url)
    assert Champion.objects.count() == 0
