from __future__ import annotations

from django import forms

from hls_forum import forms as plain


class PostForm(plain.Form):
    body = forms.CharField(
        label="Your message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="To let someone know, write @ and their name without spaces (@JaneSmith). "
        "Only people who can see this conversation are told.",
    )
    error_names = {"body": "your message"}

    def clean_body(self) -> str:
        value: str = self.cleaned_data["body"].strip()
        if not value:
            raise forms.ValidationError("Enter your message.")
        return value


class ThreadStartForm(PostForm):
    title = forms.CharField(label="What it is about", max_length=200)
    field_order = ["title", "body"]
    error_names = {"title": "what it is about", "body": "your message"}
