"""Home pages and the language switch."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode
from tierdesk.reports.dashboards import dashboard_for


@login_required
def home(request):
    user = request.user
    roles = [RoleCode(code) for code in RoleCode.values if code in user.role_codes]
    now = timezone.now()
    panels = dashboard_for(user, now)
    return render(
        request,
        "web/home.html",
        {
            "roles": roles,
            "role_panels": [(role, panels.get(role)) for role in roles],
            "primary_role": permissions.primary_role(user),
            "now": now,
        },
    )


@require_POST
def switch_language(request):
    """Switch the interface language and remember it as the person's mail language too."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        request.POST = request.POST.copy()
        request.POST["next"] = "/"
    return set_language(request)


@login_required
def process_chart(request):
    from tierdesk.cases.chart import process_chart_svg
    from tierdesk.cases.workflow import TRANSITIONS

    return render(
        request,
        "web/process_chart.html",
        {"chart": process_chart_svg(), "transitions": TRANSITIONS},
    )
