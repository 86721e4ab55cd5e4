"""What the API shows of each thing: the public fields of places, organisations,
commissioners and forums; sessions, learning and commissions as far as the reader may see."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships.models import Commission, CommissionerProfile, Forum, Organisation, Place
from talking_points.models import LearningEntry, LearningKind, Session, Visibility


class PlaceSerializer(serializers.ModelSerializer[Place]):
    class Meta:
        model = Place
        fields = ["slug", "name", "county", "engagement_level", "time_zone"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    places = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "sector", "places", "distinctive_contribution", "website"]


class CommissionerSerializer(serializers.ModelSerializer[CommissionerProfile]):
    name = serializers.CharField(source="user.full_name", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    places = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = CommissionerProfile
        fields = [
            "id",
            "name",
            "job_title",
            "organisation",
            "places",
            "public_email",
            "public_phone",
            "availability",
            "about",
        ]


class ForumSerializer(serializers.ModelSerializer[Forum]):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    start_time = serializers.SerializerMethodField(
        help_text="Local time in the place's time zone, HH:MM (weekday: 0 is Monday)."
    )

    @extend_schema_field(str)
    def get_start_time(self, forum: Forum) -> str:
        # A wall-clock time in the place, not an instant: OpenAPI's "time" needs an offset.
        return forum.start_time.strftime("%H:%M")

    class Meta:
        model = Forum
        fields = [
            "slug",
            "name",
            "place",
            "purpose",
            "weekday",
            "start_time",
            "duration_minutes",
            "venue",
            "online_link",
            "access",
        ]


class SessionSerializer(serializers.ModelSerializer[Session]):
    forum = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "forum", "starts_at", "status", "venue", "online_link", "closed_at"]


class CommissionSerializer(serializers.ModelSerializer[Commission]):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Commission
        fields = ["id", "place", "title", "why", "budget", "starts_on", "ends_on"]


ENTRY_FIELDS = ["title", "body", "tried", "happened", "learned", "next_steps"]


class LearningEntrySerializer(serializers.ModelSerializer[LearningEntry]):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = LearningEntry
        fields = ["id", "place", "organisation", "kind", *ENTRY_FIELDS, "visibility", "created_at"]
        read_only_fields = fields


class LearningEntryWriteSerializer(serializers.Serializer[LearningEntry]):
    """A new entry. A story of change needs its teller's consent, recorded on the site, so
    the API does not write stories."""

    place = serializers.SlugField()
    organisation = serializers.SlugField()
    kind = serializers.ChoiceField(
        choices=[(k, label) for k, label in LearningKind.choices if k != LearningKind.STORY]
    )
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    tried = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    happened = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    learned = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    next_steps = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, default=Visibility.ORGANISATION
    )
