"""The pages where a person creates, lists and revokes their personal API tokens."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from tierdesk.api import tokens
from tierdesk.api.forms import NewTokenForm
from tierdesk.api.models import ApiToken


def _rows(user, now):
    return [(token, token.state(now)) for token in tokens.tokens_of(user)]


@login_required
def token_list(request):
    now = timezone.now()
    return render(
        request,
        "api/tokens.html",
        {
            "rows": _rows(request.user, now),
            "form": NewTokenForm(),
            "may_hold_tokens": tokens.may_hold_tokens(request.user),
            "active": ApiToken.State.ACTIVE,
        },
    )


@never_cache  # the page carrying the plain token must not stay in any cache
@login_required
def token_create(request):
    if not tokens.may_hold_tokens(request.user):
        raise PermissionDenied
    form = NewTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        days = form.cleaned_data["expires_in"]
        try:
            token, plain = tokens.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                now=now,
                expires_at=now + timedelta(days=int(days)) if days else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "api/token_created.html", {"token": token, "plain": plain})
    return render(request, "api/token_new.html", {"form": form})


@login_required
def token_revoke(request, pk: int):
    token = tokens.access_token(request.user, pk)
    if request.method == "POST":
        tokens.revoke_token(token, now=timezone.now())
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
