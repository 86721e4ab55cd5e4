"""Audit log entries for role changes: organisation and forum memberships and commissioner
profiles.

Caught at the model because roles change through Django admin, invitations and services
alike; "who" and "from where" come from the current request (privacy's audit context).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

from privacy import audit
from privacy.models import AuditEventType

from .models import CommissionerProfile, ForumMembership, Membership

DISPATCH = "partnerships.audit"

ROLE_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Membership: ("role", "is_admin"),
    ForumMembership: ("role",),
    CommissionerProfile: (),
}


def _role_facts(instance: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {"kind": instance._meta.model_name}
    for field in ROLE_FIELDS[type(instance)]:
        facts[field] = getattr(instance, field)
    if isinstance(instance, Membership):
        facts["organisation_id"] = instance.organisation_id
    elif isinstance(instance, ForumMembership):
        facts["forum_id"] = instance.forum_id
    elif isinstance(instance, CommissionerProfile):
        facts["organisation_id"] = instance.organisation_id
    return facts


def remember_old_role(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or audit.is_suppressed() or instance._state.adding or instance.pk is None:
        return
    fields = ROLE_FIELDS[type(instance)]
    update_fields = kwargs.get("update_fields")
    if not fields or (update_fields is not None and not set(update_fields) & set(fields)):
        return
    instance._audit_old_role = type(instance).objects.filter(pk=instance.pk).values(*fields).first()


def record_role_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or audit.is_suppressed():
        return
    facts = _role_facts(instance)
    if created:
        audit.record(
            AuditEventType.ROLE_GRANTED, target=instance, subject=instance.user_id, **facts
        )
        return
    old = getattr(instance, "_audit_old_role", None)
    instance._audit_old_role = None
    if not old:
        return
    changed = {f"old_{k}": v for k, v in old.items() if getattr(instance, k) != v}
    if changed:
        audit.record(
            AuditEventType.ROLE_CHANGED,
            target=instance,
            subject=instance.user_id,
            **facts,
            **changed,
        )


def record_role_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if audit.is_suppressed():
        return
    audit.record(
        AuditEventType.ROLE_REMOVED,
        target=instance,
        subject=instance.user_id,
        **_role_facts(instance),
    )


def connect() -> None:
    for model in ROLE_FIELDS:
        uid = f"{DISPATCH}.{model._meta.label_lower}"
        pre_save.connect(remember_old_role, sender=model, dispatch_uid=uid)
        post_save.connect(record_role_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(record_role_deleted, sender=model, dispatch_uid=uid)
