"""The report pages: check who may read which region, build the report, render or export it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.utils import timezone

from tierdesk.reports import charts, exports
from tierdesk.reports.access import access_region, regions_reported_to
from tierdesk.reports.event_management import build_regional_report
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


def _report(request, region: str, period: str):
    return build_regional_report(region=access_region(request.user, region), period=_period(period))


@login_required
def region_report(request, region: str, period: str):
    report = _report(request, region, period)
    return render(
        request,
        "reports/region_report.html",
        {
            "report": report,
            "charts": charts.all_charts(report, nonce=_nonce(request)),
            "regions": regions_reported_to(request.user),
            "periods": recent_periods(timezone.now()),
        },
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def region_report_pdf(request, region: str, period: str):
    report = _report(request, region, period)
    return _download(
        exports.render_report_pdf(report),
        "application/pdf",
        exports.report_filename(report, "pdf"),
    )


@login_required
def region_report_xlsx(request, region: str, period: str):
    report = _report(request, region, period)
    return _download(
        exports.render_report_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.report_filename(report, "xlsx"),
    )
