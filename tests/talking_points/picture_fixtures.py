"""Shared arrangements for the place picture tests (tests/partnerships/test_picture_*)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from partnerships.models import Organisation, User
from tests import factories
from tests.conftest import World


@dataclass
class Outsider:
    """A person in another place's partnership only."""

    user: User
    organisation: Organisation


@pytest.fixture(name="outsider")
def outsider_fixture(world: World) -> Outsider:
    organisation = factories.OrganisationFactory(
        name="Far Away Trust", slug="far-away", places=[world.other_place]
    )
    user = factories.MembershipFactory(organisation=organisation).user
    return Outsider(user=user, organisation=organisation)


def forum_members(world: World, count: int) -> list[User]:
    """``count`` more members of the world's forum (the facilitator is already one)."""
    return [factories.ForumMembershipFactory(forum=world.forum).user for _ in range(count)]
