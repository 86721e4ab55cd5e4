from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q

from .models import CommissionerProfile, Forum, MembershipRole, Place, Specialism


class SignupNameForm(forms.Form):
    """Extra fields allauth adds to its sign-up form."""

    full_name = forms.CharField(label="Full name", max_length=150)

    def signup(self, request: Any, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


EMAIL_ERRORS = {
    "required": "Enter an email address.",
    "invalid": "Enter an email address in the right format, like name@example.org.",
}


class OrganisationInviteForm(forms.Form):
    """A lead invites a colleague to their organisation."""

    email = forms.EmailField(
        label="Colleague's email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=MembershipRole.choices,
        initial=MembershipRole.STAFF,
        help_text="Leads can invite and remove people.",
    )


class ForumInviteForm(forms.Form):
    """A facilitator invites someone to a forum."""

    email = forms.EmailField(
        label="Email address of the person to invite",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ForumJoinRequestForm(forms.Form):
    message = forms.CharField(
        label="A message to the facilitator",
        required=False,
        max_length=1000,
        help_text="For example, who you are and why you would like to join. Up to 1,000 "
        "characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


REMINDER_DAY_CHOICES = [(0, "On the day of the meeting"), (1, "The day before")] + [
    (days, f"{days} days before") for days in range(2, 7)
]
REMINDER_HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


class ForumForm(forms.ModelForm):
    """A facilitator edits when, where and how their forum meets."""

    start_time = forms.TimeField(
        label="Start time",
        help_text="In the place's local time, using the 24-hour clock, for example 18:30.",
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={
            "required": "Enter a start time.",
            "invalid": "Enter a real time between 00:00 and 23:59, for example 18:30.",
        },
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Only members see this link.",
        error_messages={"invalid": "Enter a full web address, like https://meet.example.org/us."},
    )
    reminder_days_before = forms.TypedChoiceField(
        label="When to send reminders",
        choices=REMINDER_DAY_CHOICES,
        coerce=int,
    )
    reminder_hour = forms.TypedChoiceField(
        label="Time to send reminders",
        choices=REMINDER_HOUR_CHOICES,
        coerce=int,
        help_text="In the place's local time.",
    )

    class Meta:
        model = Forum
        fields = [
            "purpose",
            "weekday",
            "start_time",
            "duration_minutes",
            "venue",
            "online_link",
            "access",
            "reminder_days_before",
            "reminder_hour",
        ]
        labels = {
            "weekday": "Day of the week",
            "duration_minutes": "How long it lasts, in minutes",
            "access": "Who can join",
        }
        help_texts = {
            "venue": "A neutral place partners can reach. Give a venue, an online link, or both.",
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}


PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9 ()\-]{6,30}$",
    "Enter a phone number using digits, spaces and brackets, like 01752 000 101.",
)


class CommissionerProfileForm(forms.ModelForm):
    """A commissioner's public, named contact details."""

    public_phone = forms.CharField(
        label="Contact phone", max_length=40, required=False, validators=[PHONE_VALIDATOR]
    )
    specialisms = forms.ModelMultipleChoiceField(
        queryset=Specialism.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Your specialisms",
    )
    places = forms.ModelMultipleChoiceField(
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Places you cover",
        help_text="Places where your organisation works. Ask site staff if one is missing.",
    )

    class Meta:
        model = CommissionerProfile
        fields = [
            "job_title",
            "public_email",
            "public_phone",
            "availability",
            "specialisms",
            "places",
            "about",
        ]
        error_messages = {"public_email": EMAIL_ERRORS}
        help_texts = {
            "public_email": "Shown to everyone, so partners can reach you.",
            "availability": "For example, Tuesdays and Thursdays, 9am to 4pm.",
            "about": "What are you funding, and why are you funding that? Up to 4,000 characters.",
        }
        widgets = {"about": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Covering a place lets a commissioner read what partners there share with
        # commissioners, so a commissioner may only choose places their organisation works in
        # (or already covers); site staff can add others in the admin.
        profile = self.instance
        field = self.fields["places"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Place.objects.filter(
            Q(organisations=profile.organisation_id) | Q(commissioners=profile.pk)
        ).distinct()
