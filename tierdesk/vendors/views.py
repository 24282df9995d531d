"""The browser pages of vendor coordination records: parse the input, call the services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.cases.forms import show_errors
from tierdesk.cases.workflow import ConflictError
from tierdesk.vendors import access, services
from tierdesk.vendors.enums import EntryKind
from tierdesk.vendors.forms import EntryForm, ListFilterForm, TargetsForm
from tierdesk.vendors.models import VendorCoordination

PAGE_SIZE = 50


def filtered_records(user, params, *, now):
    """The records this person may see with the list's filters: (records, form)."""
    records = access.records_visible_to(user)
    filters = ListFilterForm(params or None)
    if filters.is_bound and filters.is_valid():
        if filters.cleaned_data["vendor"]:
            records = records.filter(vendor=filters.cleaned_data["vendor"])
        if filters.cleaned_data["overdue"]:
            records = records.overdue(now)
    return records, filters


@login_required
def record_list(request):
    now = timezone.now()
    records, filters = filtered_records(request.user, request.GET, now=now)
    after = request.GET.get("after", "")
    if after.isdigit():
        records = records.filter(id__lt=int(after))
    page = list(
        records.select_related("case", "vendor", "coordinator").order_by("-id")[: PAGE_SIZE + 1]
    )
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        params = request.GET.copy()
        params["after"] = page[-1].pk
        next_url = f"{reverse('vendors:records')}?{params.urlencode()}"
    rows = [(r, r.response_state(now), r.fix_state(now)) for r in page]
    return render(
        request,
        "vendors/list.html",
        {
            "rows": rows,
            "filters": filters if filters.is_bound else ListFilterForm(),
            "next_url": next_url,
        },
    )


def _page(request, case, bound: dict | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    now = timezone.now()
    record = VendorCoordination.objects.filter(case=case).select_related("coordinator").first()
    version = record.version if record else None
    targets_form = None
    if access.may_set_ticket(case, user):
        targets_form = bound.get("targets") or TargetsForm(
            ticket_only=not access.may_set_targets(case, user),
            initial={
                "version": version,
                "vendor_ticket": record.vendor_ticket if record else "",
                "response_due_at": record.response_due_at if record else None,
                "fix_due_at": record.fix_due_at if record else None,
            },
            auto_id="id_targets_%s",
        )
    kinds = access.entry_kinds_for(case, user)
    entry_form = None
    if kinds:
        entry_form = bound.get("entry") or EntryForm(
            kinds=kinds, initial={"version": version}, auto_id="id_entry_%s"
        )
    context = {
        "case": case,
        "record": record,
        "entries": services.entries_visible_to(record, user) if record else [],
        "response_state": record.response_state(now) if record else None,
        "fix_state": record.fix_state(now) if record else None,
        "targets_form": targets_form,
        "entry_form": entry_form,
    }
    return render(request, "vendors/record.html", context, status=status)


@login_required
def record(request, case_pk: int):
    return _page(request, access.access_line3_case(request.user, case_pk))


def _refused(request, case, name, form, error):
    if isinstance(error, ConflictError):
        form.add_error(None, str(error))
        return _page(request, case, {name: form}, status=409)
    show_errors(form, error)
    return _page(request, case, {name: form}, status=400)


@login_required
@require_POST
def set_targets(request, case_pk: int):
    user = request.user
    case = access.access_line3_case(user, case_pk)
    form = TargetsForm(
        request.POST, ticket_only=not access.may_set_targets(case, user), auto_id="id_targets_%s"
    )
    if not form.is_valid():
        return _page(request, case, {"targets": form}, status=400)
    data = form.cleaned_data
    try:
        services.set_targets(
            case,
            by=user,
            now=timezone.now(),
            vendor_ticket=data["vendor_ticket"],
            response_due_at=data.get("response_due_at"),
            fix_due_at=data.get("fix_due_at"),
            expected_version=data["version"],
        )
    except (ValidationError, ConflictError) as error:
        return _refused(request, case, "targets", form, error)
    messages.success(request, _("Vendor ticket and targets saved."))
    return redirect("vendors:record", case_pk=case.pk)


@login_required
@require_POST
def add_entry(request, case_pk: int):
    user = request.user
    case = access.access_line3_case(user, case_pk)
    form = EntryForm(request.POST, kinds=access.entry_kinds_for(case, user), auto_id="id_entry_%s")
    if not form.is_valid():
        return _page(request, case, {"entry": form}, status=400)
    try:
        services.add_entry(
            case,
            by=user,
            kind=EntryKind(form.cleaned_data["kind"]),
            text=form.cleaned_data["text"],
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ConflictError) as error:
        return _refused(request, case, "entry", form, error)
    messages.success(request, _("Entry added."))
    return redirect("vendors:record", case_pk=case.pk)
