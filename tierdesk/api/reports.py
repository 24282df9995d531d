"""Event-management reports and the quarterly assessment through the API.

The same rules as the pages: reports.access says whose region's report one may read (another
region answers 404), assessment.permissions who reads and who reviews table 1; comments and
the sign-off go through assessment.services.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field, field_validator

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem
from tierdesk.assessment import services
from tierdesk.assessment.models import Item, QuarterlyAssessment
from tierdesk.assessment.permissions import may_read_assessment, may_review_assessment
from tierdesk.assessment.table import KNOWLEDGE_FIELDS, assessment_rows
from tierdesk.followups.enums import Satisfaction
from tierdesk.organization.models import Region, User
from tierdesk.reports import dashboards, snapshots
from tierdesk.reports.access import access_region, regions_reported_to
from tierdesk.reports.event_management import Breakdown, RegionalReport
from tierdesk.reports.knowledge_figures import NOT_AVAILABLE
from tierdesk.reports.percentiles import Spread
from tierdesk.reports.periods import QUARTER, Period
from tierdesk.reports.views import recent_periods

router = Router(tags=["reports"])

ItemCode = Literal[tuple(Item.values)]
READ_ERRORS_WITH_PERIOD = {**READ_ERRORS, 403: Problem, 422: Problem}
RECENT_QUARTERS = 4


def _period(key: str, *, quarter: bool = False) -> Period:
    """The period in the address; a bad key is a field error of `period` (422)."""
    try:
        period = Period.parse(key)
    except ValueError:
        raise ValidationError(
            {"period": _("Not a period: write a month as 2026-03 or a quarter as 2026-Q1.")}
        ) from None
    if quarter and period.kind != QUARTER:
        raise ValidationError(
            {"period": _("The assessment is per quarter: write the quarter as 2026-Q1.")}
        )
    return period


# --- schemas ---------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str


class PeriodOut(Schema):
    key: str = Field(description='"2026-03" for a month, "2026-Q1" for a quarter.')
    kind: Literal["month", "quarter"]
    label: str
    start: datetime = Field(description="First instant of the period.")
    end: datetime = Field(description="First instant after the period (exclusive).")


class ReportIndexOut(Schema):
    regions: list[RegionOut] = Field(description="The regions whose reports you may read.")
    periods: list[PeriodOut] = Field(description="Recent quarters, then recent months.")


class BreakdownOut(Schema):
    key: str
    label: str
    count: int


class SpreadOut(Schema):
    median_seconds: float | None
    p90_seconds: float | None


class LineOut(Schema):
    clock: Literal["line1", "line2", "vendor"]
    label: str
    spans_ended: int
    with_target: int
    met_target: int
    without_target: int
    compliance: float | None = Field(
        description="Share 0..1 of the spans with a resolution target that ended in time; "
        "null when none had a target."
    )
    worked_total_seconds: float
    response: SpreadOut
    worked: SpreadOut


class SatisfactionOut(Schema):
    distribution: list[BreakdownOut]
    surveyed: int
    score: float | None = Field(description="Mean on five points; null when nobody answered.")
    satisfied_share: float | None


class KnowledgeOut(Schema):
    articles_created: int | None = Field(description="null when the figure is not available.")
    articles_reused: int | None


class MonthOut(Schema):
    month: str
    label: str
    opened: int
    resolved: int


class ReportLinks(Schema):
    page: str
    pdf: str
    xlsx: str


class RegionalReportOut(Schema):
    region: RegionOut
    built_at: datetime = Field(
        description="When these figures were read from the cases: a report is kept for "
        "TIERDESK_REPORT_MAX_AGE_SECONDS and built again after that."
    )
    period: PeriodOut
    opened: int
    resolved: int
    closed: int
    by_line: list[BreakdownOut]
    by_classification: list[BreakdownOut]
    by_product: list[BreakdownOut]
    by_priority: list[BreakdownOut]
    lines: list[LineOut]
    satisfaction: SatisfactionOut
    problems: list[BreakdownOut] = Field(description="The problems behind most opened cases.")
    knowledge: KnowledgeOut
    trend: list[MonthOut] = Field(description="Six months up to the end of the period.")
    links: ReportLinks


class RegionQuarterOut(Schema):
    region: RegionOut
    compliance: float | None
    previous_compliance: float | None
    score: float | None
    previous_score: float | None


class DashboardOut(Schema):
    quarter: PeriodOut
    previous_quarter: PeriodOut
    regions: list[RegionQuarterOut]


class AssessmentSummary(Schema):
    period: PeriodOut
    state: Literal["not_started", "open", "signed_off"]
    signed_off_by: str | None
    signed_off_at: datetime | None


class SatisfactionFiguresOut(Schema):
    levels: dict[str, int] = Field(description="Answers per satisfaction level.")
    surveyed: int
    score: float | None


class KnowledgeFiguresOut(Schema):
    articles_authored: int | None
    articles_published: int | None
    reused_by_others: int | None
    trainings_given: int | None


class SatisfactionRowOut(Schema):
    person_id: int
    name: str
    unit: str
    figures: SatisfactionFiguresOut
    comment: str


class KnowledgeRowOut(Schema):
    person_id: int
    name: str
    unit: str
    figures: KnowledgeFiguresOut
    comment: str


class AssessmentLinks(Schema):
    page: str
    pdf: str
    xlsx: str


class AssessmentOut(AssessmentSummary):
    conclusion: str
    may_review: bool = Field(description="You may comment and sign off (open quarter only).")
    quarter_over: bool = Field(description="The quarter has ended, so it may be signed off.")
    satisfaction: list[SatisfactionRowOut] = Field(
        description="Item 1, per regional technical-support engineer."
    )
    knowledge: list[KnowledgeRowOut] = Field(
        description="Item 2, per after-sales technical-support engineer (line 2)."
    )
    links: AssessmentLinks


def _refuse_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; say so as a field error rather than failing later.
    if "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


class CommentIn(Schema):
    item: ItemCode
    person_id: int
    text: str = Field(
        max_length=4000, description="The comment; empty text removes the person's comment."
    )

    @field_validator("text")
    @classmethod
    def refuse_nul(cls, value: str) -> str:
        return _refuse_nul(value)


class CommentOut(Schema):
    item: ItemCode
    person_id: int
    text: str = Field(description="Empty when the comment was removed.")
    written_by: str | None
    written_at: datetime | None


class SignOffIn(Schema):
    conclusion: str = Field("", max_length=8000)

    @field_validator("conclusion")
    @classmethod
    def refuse_nul(cls, value: str) -> str:
        return _refuse_nul(value)


# --- building the answers --------------------------------------------------------------------


def _period_out(period: Period) -> dict:
    return {
        "key": period.key,
        "kind": period.kind,
        "label": period.label(),
        "start": period.start,
        "end": period.end,
    }


def _breakdowns(rows: list[Breakdown]) -> list[dict]:
    return [{"key": row.key, "label": row.label, "count": row.count} for row in rows]


def _spread(spread: Spread) -> dict:
    return {"median_seconds": spread.median, "p90_seconds": spread.p90}


def _known(value) -> object:
    return None if value is NOT_AVAILABLE else value


def _kept_report_out(region: Region, period: Period) -> dict:
    snapshot = snapshots.regional_snapshot(region=region, period=period, draw=False)
    return {**_report_out(snapshot.report), "built_at": snapshot.built_at}


def _report_out(report: RegionalReport) -> dict:
    address = {"region": report.region.code, "period": report.period.key}
    return {
        "region": {"code": report.region.code, "name": str(report.region)},
        "period": _period_out(report.period),
        "opened": report.opened,
        "resolved": report.resolved,
        "closed": report.closed,
        "by_line": _breakdowns(report.by_line),
        "by_classification": _breakdowns(report.by_classification),
        "by_product": _breakdowns(report.by_product),
        "by_priority": _breakdowns(report.by_priority),
        "lines": [
            {
                "clock": line.clock,
                "label": line.label,
                "spans_ended": line.spans_ended,
                "with_target": line.with_target,
                "met_target": line.met_target,
                "without_target": line.without_target,
                "compliance": line.compliance,
                "worked_total_seconds": line.worked_total.total_seconds(),
                "response": _spread(line.response),
                "worked": _spread(line.worked),
            }
            for line in report.lines
        ],
        "satisfaction": {
            "distribution": _breakdowns(report.satisfaction.distribution),
            "surveyed": report.satisfaction.surveyed,
            "score": report.satisfaction.score,
            "satisfied_share": report.satisfaction.satisfied_share,
        },
        "problems": _breakdowns(report.problems),
        "knowledge": {
            "articles_created": _known(report.knowledge.articles_created),
            "articles_reused": _known(report.knowledge.articles_reused),
        },
        "trend": [
            {
                "month": volume.month.key,
                "label": volume.month.label(),
                "opened": volume.opened,
                "resolved": volume.resolved,
            }
            for volume in report.trend
        ],
        "links": {
            "page": reverse("reports:region", kwargs=address),
            "pdf": reverse("reports:region_pdf", kwargs=address),
            "xlsx": reverse("reports:region_xlsx", kwargs=address),
        },
    }


def _readable_assessment(user: User) -> None:
    if not may_read_assessment(user):
        raise PermissionDenied


def _stored_assessment(period: Period) -> QuarterlyAssessment:
    """The quarter's assessment; reading a quarter nobody has reviewed yet stores nothing."""
    found = QuarterlyAssessment.objects.filter(year=period.year, quarter=period.number).first()
    return found or QuarterlyAssessment(year=period.year, quarter=period.number)


def _summary(assessment: QuarterlyAssessment) -> dict:
    if assessment.is_locked:
        state = "signed_off"
    else:
        state = "open" if assessment.pk is not None else "not_started"
    by = assessment.signed_off_by if assessment.signed_off_by_id else None
    return {
        "period": _period_out(assessment.period),
        "state": state,
        "signed_off_by": by.username if by is not None else None,
        "signed_off_at": assessment.signed_off_at,
    }


def _assessment_out(assessment: QuarterlyAssessment, user: User) -> dict:
    rows = assessment_rows(assessment)
    address = {"period": assessment.period.key}

    def row_out(row, figures: dict) -> dict:
        return {
            "person_id": row.person_id,
            "name": row.name,
            "unit": row.unit,
            "figures": figures,
            "comment": row.comment,
        }

    levels = Satisfaction.values
    return {
        **_summary(assessment),
        "conclusion": assessment.conclusion,
        "may_review": may_review_assessment(user) and not assessment.is_locked,
        "quarter_over": timezone.now() >= assessment.period.end,
        "satisfaction": [
            row_out(
                row,
                {
                    "levels": {level: row.figures["levels"].get(level, 0) for level in levels},
                    "surveyed": row.figures["surveyed"],
                    "score": row.figures["score"],
                },
            )
            for row in rows[Item.SATISFACTION]
        ],
        "knowledge": [
            row_out(row, {name: row.figures.get(name) for name in KNOWLEDGE_FIELDS})
            for row in rows[Item.KNOWLEDGE]
        ],
        "links": {
            "page": reverse("assessment:detail", kwargs=address),
            "pdf": reverse("assessment:pdf", kwargs=address),
            "xlsx": reverse("assessment:xlsx", kwargs=address),
        },
    }


# --- operations ------------------------------------------------------------------------------


@router.get("", response={200: ReportIndexOut, 401: Problem})
def report_index(request: HttpRequest) -> dict:
    """The regions whose reports you may read, and the recent periods to ask for."""
    user = current_user(request)
    return {
        "regions": [
            {"code": region.code, "name": str(region)} for region in regions_reported_to(user)
        ],
        "periods": [_period_out(period) for period in recent_periods(timezone.now())],
    }


@router.get(
    "/regions/{region}/{period}", response={200: RegionalReportOut, **READ_ERRORS_WITH_PERIOD}
)
def regional_report(request: HttpRequest, region: str, period: str) -> dict:
    """One region's event-management results for a month or quarter, as the report page shows
    them, with the addresses of its PDF and XLSX. Another region's report answers 404."""
    chosen = access_region(current_user(request), region)
    return _kept_report_out(chosen, _period(period))


@router.post(
    "/regions/{region}/{period}/rebuild",
    response={200: RegionalReportOut, **READ_ERRORS_WITH_PERIOD},
)
def rebuild_regional_report(request: HttpRequest, region: str, period: str) -> dict:
    """Build the report again from the cases as they are now, instead of the kept figures."""
    chosen, chosen_period = access_region(current_user(request), region), _period(period)
    snapshots.rebuild(region=chosen, period=chosen_period)
    return _kept_report_out(chosen, chosen_period)


@router.get("/dashboard", response={200: DashboardOut, 401: Problem, 403: Problem})
def supervisor_dashboard(request: HttpRequest) -> dict:
    """SLA compliance and satisfaction score per region, this quarter against the last: the
    supervisor's home-page figures."""
    user = current_user(request)
    if not may_read_assessment(user):
        raise PermissionDenied
    panel = dashboards.supervisor_panel(user, timezone.now())
    return {
        "quarter": _period_out(panel["quarter"]),
        "previous_quarter": _period_out(panel["previous_quarter"]),
        "regions": [
            {
                "region": {"code": row.region.code, "name": str(row.region)},
                "compliance": row.compliance,
                "previous_compliance": row.previous_compliance,
                "score": row.score,
                "previous_score": row.previous_score,
            }
            for row in panel["regions"]
        ],
    }


@router.get("/assessments", response={200: list[AssessmentSummary], 401: Problem, 403: Problem})
def list_assessments(request: HttpRequest) -> list[dict]:
    """The recent quarters and every signed-off or started one, newest first."""
    _readable_assessment(current_user(request))
    quarters = [Period.quarter_of(timezone.localdate())]
    while len(quarters) < RECENT_QUARTERS:
        quarters.append(quarters[-1].previous())
    stored = {
        (row.year, row.quarter): row
        for row in QuarterlyAssessment.objects.select_related("signed_off_by")
    }
    periods = set(quarters) | {Period(QUARTER, year, quarter) for year, quarter in stored}
    ordered = sorted(periods, key=lambda period: (period.year, period.number), reverse=True)
    return [
        _summary(
            stored.get((period.year, period.number))
            or QuarterlyAssessment(year=period.year, quarter=period.number)
        )
        for period in ordered
    ]


@router.get("/assessments/{period}", response={200: AssessmentOut, **READ_ERRORS_WITH_PERIOD})
def get_assessment(request: HttpRequest, period: str) -> dict:
    """Table 1 of a quarter: live figures while it is open, the frozen ones once signed off,
    each person's row with the supervisor's comment."""
    user = current_user(request)
    _readable_assessment(user)
    return _assessment_out(_stored_assessment(_period(period, quarter=True)), user)


def _open_for_review(request: HttpRequest, period: str) -> tuple[User, QuarterlyAssessment]:
    user = current_user(request)
    _readable_assessment(user)
    chosen = _period(period, quarter=True)
    if not may_review_assessment(user):
        raise PermissionDenied(_("Only the after-sales service supervisor reviews the assessment."))
    return user, services.get_or_open_assessment(period=chosen, now=timezone.now())


@router.put("/assessments/{period}/comments", response={200: CommentOut, **WRITE_ERRORS})
def comment_on_person(request: HttpRequest, period: str, payload: CommentIn) -> dict:
    """Write or replace the supervisor's comment on one person's result for one item; empty
    text removes it. A signed-off quarter is locked (422)."""
    user, assessment = _open_for_review(request, period)
    person = User.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("No such person.")})
    comment = services.comment_on_person(
        assessment=assessment,
        item=Item(payload.item),
        person=person,
        text=payload.text,
        by=user,
        now=timezone.now(),
    )
    return {
        "item": payload.item,
        "person_id": person.pk,
        "text": comment.text if comment else "",
        "written_by": comment.written_by.username if comment else None,
        "written_at": comment.written_at if comment else None,
    }


@router.post("/assessments/{period}/sign-off", response={200: AssessmentOut, **WRITE_ERRORS})
def sign_off(request: HttpRequest, period: str, payload: SignOffIn) -> dict:
    """Freeze the ended quarter's figures with the conclusion; nothing changes after."""
    user, assessment = _open_for_review(request, period)
    signed = services.sign_off_assessment(
        assessment=assessment, conclusion=payload.conclusion, by=user, now=timezone.now()
    )
    return _assessment_out(signed, user)
