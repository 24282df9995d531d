"""The follow-up pages: parse the input, call the service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tierdesk.cases.forms import show_errors
from tierdesk.followups import links, services
from tierdesk.followups.forms import (
    AnswerForm,
    AttemptForm,
    CustomerAnswerForm,
    FilterForm,
    ReassignForm,
)
from tierdesk.followups.models import FollowUp
from tierdesk.followups.permissions import (
    access_follow_up,
    follow_ups_visible_to,
    may_filter_by_region,
    may_reassign,
    may_record,
)

PAGE_SIZE = 50
LIST_VIEWS = [("mine", _("My follow-ups")), ("all", _("All I can see"))]


# Lists -----------------------------------------------------------------------------------------


def _with_counts(follow_ups):
    return follow_ups.annotate(
        failed_calls=Count("attempts", filter=Q(attempts__reached=False))
    ).due_first()


def listed_follow_ups(user, params, *, now):
    """One tab of the list with its filters, due first: (follow-ups, tab, filter form)."""
    view = params.get("view", "mine")
    if view not in dict(LIST_VIEWS):
        view = "mine"
    follow_ups = follow_ups_visible_to(user)
    filters = None
    if view == "mine":
        follow_ups = follow_ups.open().filter(assignee=user)
    else:
        filters = FilterForm(params, may_filter_by_region=may_filter_by_region(user))
        if filters.is_valid():
            chosen = filters.cleaned_data
            if chosen["state"]:
                follow_ups = follow_ups.filter(state=chosen["state"])
            if chosen.get("region"):
                follow_ups = follow_ups.filter(region=chosen["region"])
            if chosen["assignee"]:
                follow_ups = follow_ups.filter(assignee=chosen["assignee"])
            if chosen["overdue"]:
                follow_ups = follow_ups.overdue(now)
    return _with_counts(follow_ups), view, filters


@login_required
def follow_up_list(request):
    """My open follow-ups, due first; or every one I may see, with filters."""
    now = timezone.now()
    follow_ups, view, filters = listed_follow_ups(request.user, request.GET, now=now)
    page = Paginator(follow_ups, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "followups/list.html",
        {
            "page": page,
            "view": view,
            "tabs": [(key, label, f"?{urlencode({'view': key})}") for key, label in LIST_VIEWS],
            "filters": filters,
            "kept": urlencode(kept),
            "now": now,
        },
    )


# One follow-up ---------------------------------------------------------------------------------


def _detail(request, follow_up: FollowUp, bound: dict | None = None, status: int = 200):
    """The follow-up page; `bound` holds forms that came back with errors, by name."""
    user, now = request.user, timezone.now()
    bound = dict(bound or {})
    recordable = follow_up.is_open and may_record(follow_up, user)
    context = {
        "follow_up": follow_up,
        "case": follow_up.case,
        "resolution": follow_up.resolution_event,
        "attempts": follow_up.attempts.select_related("caller"),
        "now": now,
        "attempt_form": (bound.pop("attempt", None) or AttemptForm(auto_id="id_attempt_%s"))
        if recordable
        else None,
        "answer_form": (bound.pop("answer", None) or AnswerForm(auto_id="id_answer_%s"))
        if recordable
        else None,
        "reassign_form": (
            bound.pop("reassign", None)
            or ReassignForm(
                follow_up=follow_up,
                initial={"to": follow_up.assignee_id},
                auto_id="id_reassign_%s",
            )
        )
        if follow_up.is_open and may_reassign(follow_up, user)
        else None,
        "answer_url": links.answer_url(services.answer_token(follow_up, now=now))
        if recordable and follow_up.assignee_id
        else None,
        "stray_forms": list(bound.values()),
    }
    return render(request, "followups/detail.html", context, status=status)


def _load(user, pk: int) -> FollowUp:
    return access_follow_up(user, pk)


@login_required
def detail(request, pk: int):
    follow_up = _load(request.user, pk)
    return _detail(request, follow_up)


def _failed(request, pk: int, name: str, form, error: ValidationError):
    show_errors(form, error)
    return _detail(request, _load(request.user, pk), {name: form}, status=400)


@login_required
@require_POST
def record_attempt(request, pk: int):
    follow_up = _load(request.user, pk)
    form = AttemptForm(request.POST, auto_id="id_attempt_%s")
    if not form.is_valid():
        return _detail(request, follow_up, {"attempt": form}, status=400)
    try:
        services.record_attempt(
            follow_up,
            by=request.user,
            reached=form.cleaned_data["reached"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _failed(request, pk, "attempt", form, error)
    messages.success(request, _("Call recorded."))
    return redirect("followups:detail", pk=pk)


@login_required
@require_POST
def record_answer(request, pk: int):
    follow_up = _load(request.user, pk)
    form = AnswerForm(request.POST, auto_id="id_answer_%s")
    if not form.is_valid():
        return _detail(request, follow_up, {"answer": form}, status=400)
    try:
        follow_up = services.record_answer(
            follow_up,
            by=request.user,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _failed(request, pk, "answer", form, error)
    messages.success(
        request,
        _("Answer recorded: %(state)s.") % {"state": follow_up.get_state_display()},
    )
    return redirect("followups:detail", pk=pk)


@login_required
@require_POST
def reassign(request, pk: int):
    follow_up = _load(request.user, pk)
    form = ReassignForm(request.POST, follow_up=follow_up, auto_id="id_reassign_%s")
    if not form.is_valid():
        return _detail(request, follow_up, {"reassign": form}, status=400)
    try:
        services.reassign(
            follow_up, by=request.user, to=form.cleaned_data["to"], now=timezone.now()
        )
    except ValidationError as error:
        return _failed(request, pk, "reassign", form, error)
    messages.success(
        request, _("Follow-up reassigned to %(person)s.") % {"person": form.cleaned_data["to"]}
    )
    return redirect("followups:detail", pk=pk)


@login_required
@require_POST
def mail_link(request, pk: int):
    follow_up = _load(request.user, pk)
    try:
        email = services.mail_answer_link(follow_up, by=request.user, now=timezone.now())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Answer link mailed to %(email)s.") % {"email": email})
    return redirect("followups:detail", pk=pk)


# The customer's page ---------------------------------------------------------------------------


def customer_answer(request, token: str):
    """The page a customer reaches from the mailed link: no sign-in, one answer."""
    # Customers read Chinese unless they chose otherwise with the language switch.
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
    now = timezone.now()
    try:
        follow_up = services.follow_up_for_token(token, now=now)
    except links.InvalidLink:
        return _customer_page(request, "invalid", status=404)
    except links.ExpiredLink:
        return _customer_page(request, "expired", status=410)
    if not follow_up.is_open:
        return _customer_page(request, "answered", follow_up=follow_up)
    form = CustomerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_by_link(
                token,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                now=now,
            )
        except services.AlreadyAnswered:
            return _customer_page(request, "answered", follow_up=follow_up, status=409)
        except PermissionDenied:
            # The assignee may no longer close the case (moved or left): someone must call.
            form.add_error(
                None, _("We cannot record your answer here; our engineer will call you.")
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _customer_page(request, "thanks", follow_up=follow_up)
    status = 400 if form.is_bound else 200
    return _customer_page(request, "form", follow_up=follow_up, form=form, status=status)


def _customer_page(request, outcome: str, *, follow_up=None, form=None, status: int = 200):
    return render(
        request,
        "followups/customer_answer.html",
        {"outcome": outcome, "follow_up": follow_up, "form": form},
        status=status,
    )
