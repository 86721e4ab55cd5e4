"""factory_boy factories for the models tests need."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from partnerships.models import (
    CommissionerProfile,
    Forum,
    ForumMembership,
    Membership,
    Organisation,
    Place,
    Specialism,
    User,
)
from talking_points.models import Decision, LearningEntry, Session

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    county = "Somewhere"
    engagement_level = "medium"
    current_practice = "Conversations are happening."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    sector = "vcs"
    distinctive_contribution = "We listen first."

    @factory.post_generation
    def places(self, create: bool, extracted: list[Place] | None, **kwargs: object) -> None:
        if create and extracted:
            self.places.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "staff"


class SpecialismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialism

    name = factory.Sequence(lambda n: f"Specialism {n}")
    slug = factory.Sequence(lambda n: f"specialism-{n}")


class CommissionerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, sector="statutory")
    job_title = "Commissioner"
    public_email = factory.LazyAttribute(lambda o: o.user.email)
    public_phone = "01234 567 890"
    availability = "Weekdays"

    @factory.post_generation
    def places(self, create: bool, extracted: list[Place] | None, **kwargs: object) -> None:
        if create and extracted:
            self.places.set(extracted)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    purpose = "To talk, learn and decide together."
    weekday = 1
    start_time = datetime.time(10, 0)
    venue = "Community hall"
    access = "open"


class ForumMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMembership

    forum = factory.SubFactory(ForumFactory)
    user = factory.SubFactory(UserFactory)
    role = "participant"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    forum = factory.SubFactory(ForumFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    session = factory.SubFactory(SessionFactory)
    text = "We will meet at the library from now on."


class LearningEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningEntry

    place = factory.SubFactory(PlaceFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    author = None
    kind = "breakthrough"
    title = factory.Sequence(lambda n: f"What we learned, number {n}")
    body = "We tried something and it worked."
    visibility = "organisation"


def give_mfa(user: User) -> str:
    """Turn on TOTP two-step sign-in for ``user`` (as if they had set it up); returns the
    secret so a test can compute codes. Commissioners and staff need this to get past
    hls_forum.middleware.MFARequiredMiddleware."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
