"""The browser pages of on-site applications: parse the input, call the workflow, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.cases import access as case_access
from tierdesk.cases.forms import show_errors
from tierdesk.cases.workflow import ConflictError
from tierdesk.onsite import access, workflow
from tierdesk.onsite.enums import Action
from tierdesk.onsite.forms import ApplicationForm, ListFilterForm, StepForm
from tierdesk.onsite.pdf import pdf_filename, render_application_pdf

PAGE_SIZE = 50


def filtered_applications(user, params):
    """The applications this person may see with the list's filters: (applications, form)."""
    applications = access.applications_visible_to(user)
    filters = ListFilterForm(params or None)
    if filters.is_bound and filters.is_valid():
        chosen = filters.cleaned_data
        if chosen["state"]:
            applications = applications.filter(state=chosen["state"])
        if chosen["region"]:
            applications = applications.filter(region=chosen["region"])
        if chosen["created_from"]:
            applications = applications.filter(created_at__date__gte=chosen["created_from"])
        if chosen["created_to"]:
            applications = applications.filter(created_at__date__lte=chosen["created_to"])
    return applications, filters


@login_required
def application_list(request):
    applications, filters = filtered_applications(request.user, request.GET)
    after = request.GET.get("after", "")
    if after.isdigit():
        applications = applications.filter(id__lt=int(after))
    page = list(
        applications.select_related("case", "region", "customer", "applicant", "engineer").order_by(
            "-id"
        )[: PAGE_SIZE + 1]
    )
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        params = request.GET.copy()
        params["after"] = page[-1].pk
        next_url = f"{reverse('onsite:applications')}?{params.urlencode()}"
    return render(
        request,
        "onsite/list.html",
        {
            "applications": page,
            "filters": filters if filters.is_bound else ListFilterForm(),
            "next_url": next_url,
        },
    )


@login_required
def new_application(request, case_pk: int):
    user = request.user
    case = case_access.access_case(user, case_pk)
    if not access.may_apply(case, user):
        raise PermissionDenied
    form = ApplicationForm(
        request.POST or None,
        product=case.product,
        initial=workflow.prefilled_fields(case=case, by=user),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in workflow.EDITABLE_FIELDS}
        try:
            application = workflow.create_application(
                case=case, by=user, now=timezone.now(), **fields
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("On-site application %(serial)s drafted.") % {"serial": application}
            )
            return redirect("onsite:detail", pk=application.pk)
    return render(request, "onsite/new.html", {"form": form, "case": case})


def _detail(request, application, bound: dict | None = None, status: int = 200):
    """The application page; `bound` holds forms that came back with errors, by name."""
    user = request.user
    bound = dict(bound or {})
    step_forms = []
    for transition in workflow.available_transitions(application, user):
        key = f"step_{transition.action}"
        form = bound.pop(key, None) or StepForm(
            action=transition.action,
            initial={"action": transition.action, "version": application.version},
            auto_id=f"id_{key}_%s",
        )
        step_forms.append((transition, form))
    edit_form = None
    if workflow.may_edit(application, user):
        edit_form = bound.pop("edit", None) or ApplicationForm(
            instance=application,
            product=application.product,
            initial={"version": application.version},
            auto_id="id_edit_%s",
        )
    context = {
        "application": application,
        "steps": application.steps.select_related("actor"),
        "step_forms": step_forms,
        "next_steps": [t for t in workflow.TRANSITIONS if t.source == application.state],
        "edit_form": edit_form,
        "may_see_case": case_access.may_see(application.case, user),
        "stray_forms": list(bound.values()),
    }
    return render(request, "onsite/detail.html", context, status=status)


def _failed(request, application, name: str, form, error: Exception):
    """Show the workflow's refusal on the form that caused it, keeping what was typed."""
    application = access.access_application(request.user, application.pk)
    if isinstance(error, ConflictError):
        form.add_error(None, str(error))
        return _detail(request, application, {name: form}, status=409)
    show_errors(form, error)
    return _detail(request, application, {name: form}, status=400)


@login_required
def detail(request, pk: int):
    return _detail(request, access.access_application(request.user, pk))


@login_required
@require_POST
def act(request, pk: int):
    user = request.user
    application = access.access_application(user, pk)
    action = request.POST.get("action", "")
    if action not in workflow.STEP_FUNCTIONS:
        raise BadRequest
    key = f"step_{action}"
    form = StepForm(request.POST, action=Action(action), auto_id=f"id_{key}_%s")
    if not form.is_valid():
        return _detail(request, application, {key: form}, status=400)
    try:
        workflow.perform(
            application,
            action=Action(action),
            by=user,
            now=timezone.now(),
            inputs=form.cleaned_data,
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ConflictError) as error:
        return _failed(request, application, key, form, error)
    messages.success(request, _("%(action)s: done.") % {"action": Action(action).label})
    return redirect("onsite:detail", pk=application.pk)


@login_required
@require_POST
def edit(request, pk: int):
    user = request.user
    application = access.access_application(user, pk)
    form = ApplicationForm(
        request.POST, instance=application, product=application.product, auto_id="id_edit_%s"
    )
    if not form.is_valid():
        return _detail(request, application, {"edit": form}, status=400)
    changes = {name: form.cleaned_data[name] for name in workflow.EDITABLE_FIELDS}
    try:
        workflow.update_draft(
            application,
            by=user,
            changes=changes,
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ConflictError) as error:
        return _failed(request, application, "edit", form, error)
    messages.success(request, _("Draft saved."))
    return redirect("onsite:detail", pk=application.pk)


@login_required
def pdf(request, pk: int):
    application = access.access_application(request.user, pk)
    content = render_application_pdf(application, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(application)}"'
    return response
