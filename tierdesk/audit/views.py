"""The audit pages for administrators and supervisors, and the page a locked-out person sees."""

from datetime import datetime, time, timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode

from tierdesk.audit import trail
from tierdesk.audit.access import may_read_audit
from tierdesk.audit.forms import ChangeFilterForm, SignInFilterForm

PAGE_SIZE = 50


def _require_auditor(user) -> None:
    if not may_read_audit(user):
        raise PermissionDenied


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def changes(request):
    _require_auditor(request.user)
    filters = ChangeFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    until = chosen.get("until")
    before = parse_datetime(request.GET.get("before", "")) or (
        _start_of(until + timedelta(days=1)) if until else None
    )
    rows = trail.recent_changes(
        model_keys=[chosen["what"]] if chosen.get("what") else None,
        actor=chosen.get("who"),
        since=_start_of(chosen["since"]) if chosen.get("since") else None,
        before=before,
        limit=PAGE_SIZE,
    )
    older_url = ""
    if len(rows) == PAGE_SIZE:
        query = request.GET.copy()
        query["before"] = rows[-1].at.isoformat()
        older_url = "?" + query.urlencode()
    return render(
        request,
        "audit/changes.html",
        {"filters": filters, "rows": rows, "older_url": older_url, "tab": "changes"},
    )


@login_required
def sign_ins(request):
    _require_auditor(request.user)
    filters = SignInFilterForm(request.GET or None)
    failures = AccessFailureLog.objects.order_by("-attempt_time")
    if filters.is_bound and filters.is_valid() and filters.cleaned_data["username"]:
        failures = failures.filter(username__iexact=filters.cleaned_data["username"])
    page = Paginator(failures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"username": request.GET.get("username", "")}
    return render(
        request,
        "audit/sign_ins.html",
        {
            "filters": filters,
            "page": page,
            "query": urlencode(query),
            "tab": "sign_ins",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """What axes shows instead of the sign-in form while a username is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "audit/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
