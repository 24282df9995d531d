"""The report pages: check who may read which region, build the report, render or export it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.reports import charts, exports, snapshots
from tierdesk.reports.access import access_region, regions_reported_to
from tierdesk.reports.periods import Period

RECENT_MONTHS = 12
RECENT_QUARTERS = 4


def recent_periods(now) -> list[Period]:
    today = timezone.localdate(now)
    months, quarters = [Period.month_of(today)], [Period.quarter_of(today)]
    while len(months) < RECENT_MONTHS:
        months.append(months[-1].previous())
    while len(quarters) < RECENT_QUARTERS:
        quarters.append(quarters[-1].previous())
    return quarters + months


def _nonce(request) -> str:
    # str() generates the nonce: the lazy nonce is falsy until something asks for it.
    nonce = get_nonce(request)
    return "" if nonce is None else str(nonce)


def _period(key: str) -> Period:
    try:
        return Period.parse(key)
    except ValueError:
        raise Http404 from None


@login_required
def report_index(request):
    """Open the chosen region and period; by default one's own region and the last month."""
    regions = regions_reported_to(request.user)
    chosen = request.GET.get("region") or (
        request.user.region.code if request.user.region_id else ""
    )
    region = regions.filter(code=chosen).first() or regions.first()
    if region is None:
        raise Http404
    default = Period.month_of(timezone.localdate()).previous().key
    period = _period(request.GET.get("period") or default)
    return redirect("reports:region", region=region.code, period=period.key)


def _snapshot(request, region: str, period: str) -> snapshots.Snapshot:
    return snapshots.regional_snapshot(
        region=access_region(request.user, region), period=_period(period)
    )


@login_required
def region_report(request, region: str, period: str):
    snapshot = _snapshot(request, region, period)
    drawing = snapshot.drawing()
    return render(
        request,
        "reports/region_report.html",
        {
            "report": snapshot.report,
            "built_at": snapshot.built_at,
            "max_age_minutes": settings.REPORT_MAX_AGE // 60,
            "charts": charts.with_nonce(drawing.charts, _nonce(request)),
            "figures": drawing.figures,
            "regions": regions_reported_to(request.user),
            "periods": recent_periods(timezone.now()),
        },
    )


@require_POST
@login_required
def region_report_rebuild(request, region: str, period: str):
    """Build the report again from the cases as they are now, for whoever may read it."""
    chosen, chosen_period = access_region(request.user, region), _period(period)
    snapshots.rebuild(region=chosen, period=chosen_period)
    messages.success(request, _("The report was built again from the cases as they are now."))
    return redirect("reports:region", region=chosen.code, period=chosen_period.key)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def region_report_pdf(request, region: str, period: str):
    snapshot = _snapshot(request, region, period)
    return _download(
        exports.render_report_pdf(snapshot.report, drawing=snapshot.drawing()),
        "application/pdf",
        exports.report_filename(snapshot.report, "pdf"),
    )


@login_required
def region_report_xlsx(request, region: str, period: str):
    report = _snapshot(request, region, period).report
    return _download(
        exports.render_report_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.report_filename(report, "xlsx"),
    )
