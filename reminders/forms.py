from __future__ import annotations

from django import forms

from partnerships.models import Weekday

from .models import DigestFrequency, DigestPreference


class DigestPreferenceForm(forms.ModelForm):
    frequency = forms.ChoiceField(
        label="How often", choices=DigestFrequency.choices, widget=forms.RadioSelect
    )
    weekday = forms.TypedChoiceField(
        label="Which day",
        choices=Weekday.choices,
        coerce=int,
        help_text="It arrives from 8am (UK time) on the day you choose.",
    )

    class Meta:
        model = DigestPreference
        fields = ["frequency", "weekday"]
