"""Receivers that write the audit log for events other libraries announce: sign-in, failed
sign-in, sign-out, password and email changes, MFA changes, and changes to the site
staff flags on the user model.

Staff flags are caught at the model because they change through Django admin and
management commands alike; "who" and "from where" come from the current request. Apps
record their own role changes the same way (partnerships/signals.py).
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest

from hls_forum.middleware import forget_mfa_policy, session_signed_in

from . import audit
from .models import AuditEventType

User = get_user_model()
DISPATCH = "privacy.audit"


# --- Sign-in, sign-out -------------------------------------------------------------


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record(AuditEventType.SIGN_IN, actor=user, target=user, request=request)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Record which account was tried (by id, if it exists), never the address typed.
    typed = str(credentials.get("email") or credentials.get("username") or "")[:254]
    person = User.objects.filter(email__iexact=typed).only("pk").first() if typed else None
    audit.record(
        AuditEventType.SIGN_IN_FAILED,
        actor=None,
        subject=person,
        request=request,
        known_account=person is not None,
    )


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # No sign-out event for an account that was just deleted (its erasure is recorded).
    if user is not None and user.pk is not None:
        audit.record(AuditEventType.SIGN_OUT, actor=user, target=user, request=request)


# --- Password, email ---------------------------------------------------------------


def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A new password ends every other session (this browser stays signed in)."""
    from allauth.usersessions.internal.flows.sessions import end_other_sessions

    end_other_sessions(request, user)
    audit.record(AuditEventType.PASSWORD_CHANGED, actor=user, target=user, request=request)


def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A reset password ends every session (Django's session hash check would refuse
    them anyway; this also removes them from "Where you are signed in")."""
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user_id=user.pk):
        session.end()
    audit.record(AuditEventType.PASSWORD_RESET, actor=None, target=user, request=request)


def _email_event(action: str) -> Any:
    def receiver(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        audit.record(
            AuditEventType.EMAIL_CHANGED, actor=user, target=user, request=request, action=action
        )

    receiver.__name__ = f"on_email_{action}"
    return receiver


on_email_added = _email_event("added")
on_email_removed = _email_event("removed")
on_email_primary = _email_event("made_primary")


# --- Multi-factor ------------------------------------------------------------------


def _mfa_event(event: AuditEventType) -> Any:
    def receiver(
        sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kwargs: Any
    ) -> None:
        forget_mfa_policy(request)
        audit.record(
            event,
            actor=user,
            target=user,
            request=request,
            kind=str(authenticator.type),
        )

    receiver.__name__ = f"on_{event}"
    return receiver


on_mfa_added = _mfa_event(AuditEventType.MFA_ADDED)
on_mfa_removed = _mfa_event(AuditEventType.MFA_REMOVED)
on_mfa_reset = _mfa_event(AuditEventType.MFA_RESET)


# --- Site staff flags --------------------------------------------------------------

STAFF_FIELDS = ("is_staff", "is_superuser", "is_active")


def remember_old_staff_flags(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or audit.is_suppressed() or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(STAFF_FIELDS):
        return
    instance._audit_old_flags = User.objects.filter(pk=instance.pk).values(*STAFF_FIELDS).first()


def record_staff_flags(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or audit.is_suppressed():
        return
    if created:
        if instance.is_staff or instance.is_superuser:
            audit.record(
                AuditEventType.ROLE_GRANTED,
                target=instance,
                kind="site_staff",
                is_staff=instance.is_staff,
                is_superuser=instance.is_superuser,
            )
        return
    old = getattr(instance, "_audit_old_flags", None)
    instance._audit_old_flags = None
    if not old:
        return
    changed = {f"old_{k}": v for k, v in old.items() if getattr(instance, k) != v}
    if changed:
        audit.record(
            AuditEventType.ROLE_CHANGED,
            target=instance,
            kind="site_staff",
            **{k: getattr(instance, k) for k in STAFF_FIELDS},
            **changed,
        )


def connect() -> None:
    auth_signals.user_logged_in.connect(session_signed_in, dispatch_uid=f"{DISPATCH}.session")
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid=f"{DISPATCH}.in")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid=f"{DISPATCH}.failed")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid=f"{DISPATCH}.out")
    for signal in (account_signals.password_changed, account_signals.password_set):
        signal.connect(on_password_changed, dispatch_uid=f"{DISPATCH}.password")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{DISPATCH}.reset")
    account_signals.email_added.connect(on_email_added, dispatch_uid=f"{DISPATCH}.email+")
    account_signals.email_removed.connect(on_email_removed, dispatch_uid=f"{DISPATCH}.email-")
    account_signals.email_changed.connect(on_email_primary, dispatch_uid=f"{DISPATCH}.email1")
    mfa_signals.authenticator_added.connect(on_mfa_added, dispatch_uid=f"{DISPATCH}.mfa+")
    mfa_signals.authenticator_removed.connect(on_mfa_removed, dispatch_uid=f"{DISPATCH}.mfa-")
    mfa_signals.authenticator_reset.connect(on_mfa_reset, dispatch_uid=f"{DISPATCH}.mfa=")
    pre_save.connect(remember_old_staff_flags, sender=User, dispatch_uid=f"{DISPATCH}.staff")
    post_save.connect(record_staff_flags, sender=User, dispatch_uid=f"{DISPATCH}.staff")
