"""The API: every list and object read through the same ``visible_to`` as the pages, so an
object a person may not see is a 404 here too. Reads need no token for what is public."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from partnerships.models import Commission, CommissionerProfile, Forum, Organisation, Place
from talking_points import services as learning
from talking_points.models import LearningEntry, Session

from . import serializers


class PlaceViewSet(viewsets.ReadOnlyModelViewSet[Place]):
    """Places: public."""

    queryset = Place.objects.order_by("name")
    serializer_class = serializers.PlaceSerializer
    lookup_field = "slug"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet[Organisation]):
    """Organisations: public."""

    queryset = Organisation.objects.prefetch_related("places").order_by("name")
    serializer_class = serializers.OrganisationSerializer
    lookup_field = "slug"


class CommissionerViewSet(viewsets.ReadOnlyModelViewSet[CommissionerProfile]):
    """Commissioners: named and reachable, so public."""

    queryset = CommissionerProfile.objects.select_related("user", "organisation").prefetch_related(
        "places"
    )
    serializer_class = serializers.CommissionerSerializer


class ForumViewSet(viewsets.ReadOnlyModelViewSet[Forum]):
    """Forums: public by design (their purpose, time and venue invite people in)."""

    serializer_class = serializers.ForumSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Forum]:
        return Forum.objects.visible_to(self.request.user).select_related("place").order_by("name")


class SessionViewSet(viewsets.ReadOnlyModelViewSet[Session]):
    """Sessions the reader may see (read only)."""

    serializer_class = serializers.SessionSerializer

    def get_queryset(self) -> QuerySet[Session]:
        return (
            Session.objects.visible_to(self.request.user)
            .select_related("forum")
            .order_by("-starts_at", "-pk")
        )


class CommissionViewSet(viewsets.ReadOnlyModelViewSet[Commission]):
    """The transparency register: what is funded and why, as far as the reader may see."""

    serializer_class = serializers.CommissionSerializer

    def get_queryset(self) -> QuerySet[Commission]:
        return (
            Commission.objects.visible_to(self.request.user)
            .select_related("place")
            .order_by("-starts_on", "-pk")
        )


class LearningEntryViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[LearningEntry],
):
    """Learning entries the reader may see; a write token adds entries for the person's own
    organisations, where they work."""

    serializer_class = serializers.LearningEntrySerializer

    def get_queryset(self) -> QuerySet[LearningEntry]:
        return (
            LearningEntry.objects.visible_to(self.request.user)
            .select_related("place", "organisation")
            .defer("search_document")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=serializers.LearningEntryWriteSerializer,
        responses={201: serializers.LearningEntrySerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        incoming = serializers.LearningEntryWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        place = Place.objects.filter(slug=data.pop("place")).first()
        organisation = Organisation.objects.filter(slug=data.pop("organisation")).first()
        if place is None or organisation is None:
            raise exceptions.ValidationError({"place": ["No such place or organisation."]})
        try:
            entry = learning.entry_create(
                author=request.user,
                place=place,
                organisation=organisation,
                fields=data,
                visibility=data.pop("visibility"),
                tag_names=[],
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.messages) from error
        output = serializers.LearningEntrySerializer(entry)
        return Response(output.data, status=status.HTTP_201_CREATED)
