"""The browser pages of quality feedback forms: parse the input, call the workflow, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.cases import access as case_access
from tierdesk.cases.forms import show_errors
from tierdesk.cases.workflow import ConflictError
from tierdesk.quality import access, workflow
from tierdesk.quality.enums import Action
from tierdesk.quality.exports import feedback_workbook
from tierdesk.quality.forms import EvidenceForm, FeedbackForm, ListFilterForm, StepForm
from tierdesk.quality.pdf import pdf_filename, render_feedback_pdf

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def feedback_list(request):
    filters = ListFilterForm(request.GET or None)
    feedbacks = filters.apply(access.feedbacks_visible_to(request.user))
    after = request.GET.get("after", "")
    if after.isdigit():
        feedbacks = feedbacks.filter(id__lt=int(after))
    page = list(
        feedbacks.select_related("region", "product", "raised_by").order_by("-id")[: PAGE_SIZE + 1]
    )
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        params = request.GET.copy()
        params["after"] = page[-1].pk
        next_url = f"{reverse('quality:feedbacks')}?{params.urlencode()}"
    export_params = request.GET.copy()
    export_params.pop("after", None)
    return render(
        request,
        "quality/list.html",
        {
            "feedbacks": page,
            "filters": filters if filters.is_bound else ListFilterForm(),
            "next_url": next_url,
            "export_url": f"{reverse('quality:export')}?{export_params.urlencode()}",
            "may_raise": access.may_raise(request.user),
        },
    )


@login_required
def export(request):
    """The filtered list, every page of it, as a workbook."""
    filters = ListFilterForm(request.GET or None)
    feedbacks = filters.apply(access.feedbacks_visible_to(request.user)).order_by("-id")
    stamp = f"{timezone.localtime():%Y%m%d}"
    response = HttpResponse(feedback_workbook(feedbacks), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="quality-feedback-{stamp}.xlsx"'
    return response


@login_required
def new_feedback(request):
    """Raise a form alone, or from a case (`?case=<id>`), which is then linked and prefilled."""
    user = request.user
    if not access.may_raise(user):
        raise PermissionDenied
    initial = {}
    case_pk = request.GET.get("case", "")
    if case_pk.isdigit():
        case = case_access.access_case(user, int(case_pk))
        initial = {
            "region": case.region_id,
            "product": case.product_id,
            "version_or_batch": case.product_version.version if case.product_version else "",
            "fault_description": case.description,
            "case_references": case.reference,
        }
    regions = access.regions_for(user)
    if "region" not in initial and regions.count() == 1:
        initial["region"] = regions.get().pk
    form = FeedbackForm(request.POST or None, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = workflow.create_feedback(
                by=user,
                now=timezone.now(),
                region=data["region"],
                product=data["product"],
                version_or_batch=data["version_or_batch"],
                fault_description=data["fault_description"],
                frequency=data["frequency"],
                impact=data["impact"],
                cases=data["case_references"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "cases" in error.error_dict:
                error = ValidationError({"case_references": error.error_dict.pop("cases")})
            show_errors(form, error)
        else:
            messages.success(
                request, _("Quality feedback %(serial)s drafted.") % {"serial": feedback}
            )
            return redirect("quality:detail", pk=feedback.pk)
    return render(request, "quality/new.html", {"form": form})


def _detail(request, feedback, bound: dict | None = None, status: int = 200):
    """The form's page; `bound` holds forms that came back with errors, by name."""
    user = request.user
    bound = dict(bound or {})
    step_forms = []
    for transition in workflow.available_transitions(feedback, user):
        key = f"step_{transition.action}"
        form = bound.pop(key, None) or StepForm(
            action=transition.action,
            initial={"action": transition.action, "version": feedback.version},
            auto_id=f"id_{key}_%s",
        )
        step_forms.append((transition, form))
    visible_cases = set(
        case_access.cases_visible_to(user)
        .filter(quality_feedbacks=feedback)
        .values_list("pk", flat=True)
    )
    evidence_form = None
    if access.may_add_evidence(feedback, user):
        evidence_form = bound.pop("evidence", None) or EvidenceForm(auto_id="id_evidence_%s")
    context = {
        "feedback": feedback,
        "linked_cases": [
            (case, case.pk in visible_cases) for case in feedback.cases.order_by("pk")
        ],
        "evidence": feedback.evidence.select_related("uploaded_by"),
        "evidence_form": evidence_form,
        "steps": feedback.steps.select_related("actor"),
        "step_forms": step_forms,
        "next_steps": [t for t in workflow.TRANSITIONS if t.source == feedback.state],
        "stray_forms": list(bound.values()),
    }
    return render(request, "quality/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, access.access_feedback(request.user, pk))


@login_required
@require_POST
def act(request, pk: int):
    user = request.user
    feedback = access.access_feedback(user, pk)
    action = request.POST.get("action", "")
    if action not in workflow.STEP_INPUTS:
        raise BadRequest
    key = f"step_{action}"
    form = StepForm(request.POST, action=Action(action), auto_id=f"id_{key}_%s")
    if not form.is_valid():
        return _detail(request, feedback, {key: form}, status=400)
    try:
        workflow.perform(
            feedback,
            action=Action(action),
            by=user,
            now=timezone.now(),
            inputs=form.cleaned_data,
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ConflictError) as error:
        feedback = access.access_feedback(user, pk)
        if isinstance(error, ConflictError):
            form.add_error(None, str(error))
            return _detail(request, feedback, {key: form}, status=409)
        show_errors(form, error)
        return _detail(request, feedback, {key: form}, status=400)
    messages.success(request, _("%(action)s: done.") % {"action": Action(action).label})
    return redirect("quality:detail", pk=feedback.pk)


@login_required
@require_POST
def add_evidence(request, pk: int):
    user = request.user
    feedback = access.access_feedback(user, pk)
    form = EvidenceForm(request.POST, request.FILES, auto_id="id_evidence_%s")
    if form.is_valid():
        try:
            workflow.add_evidence(
                feedback, by=user, upload=form.cleaned_data["file"], now=timezone.now()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("quality:detail", pk=feedback.pk)
    return _detail(request, feedback, {"evidence": form}, status=400)


@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    feedback = access.access_feedback(request.user, pk)
    item = get_object_or_404(feedback.evidence, pk=evidence_pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@login_required
def pdf(request, pk: int):
    feedback = access.access_feedback(request.user, pk)
    content = render_feedback_pdf(feedback, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(feedback)}"'
    return response
