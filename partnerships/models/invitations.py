"""Emailed invitations to an organisation or a forum."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerships.models.forums import Forum
from partnerships.models.organisations import MembershipRole, Organisation
from partnerships.models.people import User


class Invitation(models.Model):
    """An emailed invitation to an organisation or a forum, accepted by signing in."""

    email = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation_role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default="staff"
    )
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) ^ Q(forum__isnull=False),
                name="invitation_has_one_target",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation or self.forum}"

    @property
    def target(self) -> Organisation | Forum:
        target = self.organisation or self.forum
        assert target is not None
        return target
