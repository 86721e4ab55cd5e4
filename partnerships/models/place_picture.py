"""A place's picture: its system map, its glossary and its champions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from partnerships.models.organisations import Organisation
from partnerships.models.people import User
from partnerships.models.places import Place

# The place picture is the transparency register (commissioners.py), the system map, the
# propositions check (propositions.py), the place glossary and champions. Views in
# talking_points/views/picture/ (the picture also shows sessions and learning); rules in
# permissions.py; writes in services.py, each under the same header.


class RelationshipKind(models.TextChoices):
    FUNDS = "funds", "funds"
    COMMISSIONS = "commissions", "commissions"
    REFERS_TO = "refers_to", "refers people to"
    PARTNERS_WITH = "partners_with", "partners with"


class Relationship(models.Model):
    """One line on a place's system map (talking point 8): ``source`` <kind> ``target``."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="relationships")
    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_in"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source__name", "kind", "target__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "source", "target", "kind"], name="one_relationship_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relationship_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class GlossaryTerm(models.Model):
    """A place's own plain-English meaning for a term (talking point 4)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="glossary_terms")
    term = models.CharField(max_length=80)
    meaning = models.TextField("what it means, in plain English", max_length=1000)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(Lower("term"), "place", name="one_glossary_term_per_place")
        ]

    def __str__(self) -> str:
        return self.term


class Champion(models.Model):
    """A person who stands, publicly, as an HLS champion for a place."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="champions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="championships")
    can_help_with = models.TextField("what you can help with", max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "user"], name="one_champion_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.place}"
