from __future__ import annotations

from django import forms

from hls_forum import forms as plain
from partnerships.models import Weekday

from .models import DigestFrequency, DigestPreference


class DigestPreferenceForm(plain.ModelForm):
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
