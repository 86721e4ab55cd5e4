from __future__ import annotations

from django import forms

from hls_forum import forms as plain

from .models import AccessToken


class AccessTokenForm(plain.ModelForm):
    class Meta:
        model = AccessToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}
        help_texts = {"name": "Such as “Our case management system”, so you know it later."}

    error_names = {"name": "what it is for"}
