"""allauth's forms with the site's own plain-English labels (settings ACCOUNT_FORMS and
MFA_FORMS name these). Only the wording changes; allauth still does all the checking."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa
from allauth.mfa.totp import forms as totp
from django.urls import reverse
from django.utils.html import format_html

LABELS = {
    "Email": "Email address",
    "Remember Me": "Remember me on this device",
    "Current Password": "Current password",
    "New Password": "New password",
    "New Password (again)": "Confirm new password",
    "Password (again)": "Confirm password",
    "Authenticator code": "Code from your authenticator app",
}


class PlainEnglish:
    """Sentence-case labels, no placeholders (they vanish as you type and repeat the
    label), and "Forgotten your password?" as the password's hint."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reset_url = reverse("account_reset_password")
        for field in self.fields.values():
            field.label = LABELS.get(str(field.label), field.label)
            field.widget.attrs.pop("placeholder", None)
            if reset_url in str(field.help_text or ""):
                field.help_text = format_html(
                    '<a href="{}">Forgotten your password?</a>', reset_url
                )


class SignInForm(PlainEnglish, account.LoginForm):
    pass


class SignUpForm(PlainEnglish, account.SignupForm):
    pass


class AddEmailForm(PlainEnglish, account.AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "New email address"


class ChangeEmailForm(PlainEnglish, account.ChangeEmailForm):
    pass


class ChangePasswordForm(PlainEnglish, account.ChangePasswordForm):
    pass


class SetPasswordForm(PlainEnglish, account.SetPasswordForm):
    pass


class ResetPasswordForm(PlainEnglish, account.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainEnglish, account.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(PlainEnglish, account.ReauthenticateForm):
    pass


class RequestLoginCodeForm(PlainEnglish, account.RequestLoginCodeForm):
    pass


class ConfirmLoginCodeForm(PlainEnglish, account.ConfirmLoginCodeForm):
    pass


class MFAAuthenticateForm(PlainEnglish, mfa.AuthenticateForm):
    pass


class MFAReauthenticateForm(PlainEnglish, mfa.ReauthenticateForm):
    pass


class ActivateTOTPForm(PlainEnglish, totp.ActivateTOTPForm):
    pass
