"""The notifications page: a person's mail preferences and the mail tierdesk sent them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tierdesk.notifications import services
from tierdesk.notifications.forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    current = services.preferences_of(user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial_preferences=current)
        if form.is_valid():
            services.set_preferences(user=user, enabled=form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial_preferences=current)
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "notifications": services.recent_notifications_of(user)},
    )
