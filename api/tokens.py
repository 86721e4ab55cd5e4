"""A person's access tokens: made (shown once), listed and revoked on their account pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from partnerships.types import AuthenticatedRequest

from .forms import AccessTokenForm
from .models import AccessToken, new_token, token_digest

SESSION_NEW_TOKEN = "api.new_token"  # noqa: S105 - a session key


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token = new_token()
        made = form.save(commit=False)
        made.user = request.user
        made.token_hash = token_digest(token)
        made.save()
        request.session[SESSION_NEW_TOKEN] = token
        return redirect("api:tokens")
    context = {
        "form": form,
        "tokens": AccessToken.objects.filter(user=request.user, revoked_at__isnull=True),
        "new_token": request.session.pop(SESSION_NEW_TOKEN, None),
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user, revoked_at__isnull=True)
    if request.method == "POST":
        AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        messages.success(request, f"“{token.name}” no longer works.")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
