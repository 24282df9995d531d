"""The quarterly assessment pages: parse, check, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.assessment import exports, services
from tierdesk.assessment.models import Item, QuarterlyAssessment
from tierdesk.assessment.permissions import may_read_assessment, may_review_assessment
from tierdesk.assessment.table import assessment_rows
from tierdesk.organization.models import User
from tierdesk.reports.periods import QUARTER, Period

RECENT_QUARTERS = 4


def _quarter(key: str) -> Period:
    try:
        period = Period.parse(key)
    except ValueError:
        raise Http404 from None
    if period.kind != QUARTER:
        raise Http404
    return period


def _readable(request) -> None:
    if not may_read_assessment(request.user):
        raise PermissionDenied


def _assessment(request, key: str, *, for_write: bool = False) -> QuarterlyAssessment:
    """The quarter's assessment; reading a quarter nobody has reviewed yet stores nothing."""
    _readable(request)
    period = _quarter(key)
    if for_write:
        return services.get_or_open_assessment(period=period, now=timezone.now())
    found = QuarterlyAssessment.objects.filter(year=period.year, quarter=period.number).first()
    return found or QuarterlyAssessment(year=period.year, quarter=period.number)


@login_required
def assessment_list(request):
    _readable(request)
    quarters = [Period.quarter_of(timezone.localdate())]
    while len(quarters) < RECENT_QUARTERS:
        quarters.append(quarters[-1].previous())
    signed = {
        (row.year, row.quarter): row
        for row in QuarterlyAssessment.objects.select_related("signed_off_by")
    }
    older = [Period(QUARTER, year, quarter) for year, quarter in signed]
    quarters += sorted(
        (period for period in older if period not in quarters),
        key=lambda period: (period.year, period.number),
        reverse=True,
    )
    return render(
        request,
        "assessment/list.html",
        {"quarters": [(period, signed.get((period.year, period.number))) for period in quarters]},
    )


@login_required
def assessment_detail(request, period: str):
    assessment = _assessment(request, period)
    rows = assessment_rows(assessment)
    now = timezone.now()
    return render(
        request,
        "assessment/detail.html",
        {
            "assessment": assessment,
            "satisfaction_rows": rows[Item.SATISFACTION],
            "knowledge_rows": rows[Item.KNOWLEDGE],
            "levels": exports.satisfaction_levels(),
            "table_one_header": exports.table_one_header(),
            "table_one": exports.table_one(),
            "knowledge_header": exports.knowledge_header(),
            "may_review": may_review_assessment(request.user) and not assessment.is_locked,
            "quarter_over": now >= assessment.period.end,
        },
    )


@login_required
@require_POST
def comment(request, period: str):
    assessment = _assessment(request, period, for_write=True)
    item = request.POST.get("item", "")
    if item not in Item.values:
        raise Http404
    person = get_object_or_404(User, pk=request.POST.get("person") or 0)
    try:
        services.comment_on_person(
            assessment=assessment,
            item=Item(item),
            person=person,
            text=request.POST.get("text", ""),
            by=request.user,
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Comment on %(person)s saved.") % {"person": person})
    return redirect("assessment:detail", period=assessment.period.key)


@login_required
@require_POST
def sign_off(request, period: str):
    assessment = _assessment(request, period, for_write=True)
    try:
        services.sign_off_assessment(
            assessment=assessment,
            conclusion=request.POST.get("conclusion", ""),
            by=request.user,
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The quarter is signed off and locked."))
    return redirect("assessment:detail", period=assessment.period.key)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def assessment_pdf(request, period: str):
    assessment = _assessment(request, period)
    return _download(
        exports.render_assessment_pdf(assessment),
        "application/pdf",
        exports.assessment_filename(assessment, "pdf"),
    )


@login_required
def assessment_xlsx(request, period: str):
    assessment = _assessment(request, period)
    return _download(
        exports.render_assessment_xlsx(assessment),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.assessment_filename(assessment, "xlsx"),
    )
