"""Event-management results of one region and period (regulation 6.2.5), as aggregate queries.

Definitions, all over the region's cases:

- opened / resolved / closed: cases whose opened_at / resolved_at / closed_at is in the period;
- by line, classification, product, priority: the cases opened in the period, by their current
  line (the line holding the case, or the one that resolved it) and their other fields;
- per line (each line's clock: line 1, line 2, partner vendor) over the clock spans that ended
  in the period: response and working time (median, p90; see percentiles.py), working time spent
  in total, and SLA compliance = spans ended on or before their resolution due time divided by
  spans that had one. Spans without a resolution target (no SLA target for the line and
  priority) are counted apart and left out of the share;
- satisfaction: follow-ups closed in the period with an answer, by level; the score is the mean
  on a five-point scale (very satisfied 5 ... very dissatisfied 1);
- most frequent problems: the problems linked to the most cases opened in the period.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.enums import Classification, Clock, Line, Priority
from tierdesk.cases.models import Case, ClockSpan
from tierdesk.followups.enums import Satisfaction
from tierdesk.followups.models import FollowUp
from tierdesk.organization.models import Region
from tierdesk.reports.knowledge_figures import RegionKnowledge, region_knowledge
from tierdesk.reports.percentiles import RESPONSE, WORKED, Spread, spans_ended
from tierdesk.reports.periods import MONTH, Period

SATISFACTION_POINTS = {
    Satisfaction.VERY_SATISFIED: 5,
    Satisfaction.SATISFIED: 4,
    Satisfaction.NEUTRAL: 3,
    Satisfaction.DISSATISFIED: 2,
    Satisfaction.VERY_DISSATISFIED: 1,
}
TREND_MONTHS = 6
TOP_PROBLEMS = 5
NO_SPREAD = Spread(None, None)


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class LineFigures:
    clock: str
    label: str
    spans_ended: int
    with_target: int
    met_target: int
    worked_total: timedelta
    response: Spread
    worked: Spread

    @property
    def without_target(self) -> int:
        return self.spans_ended - self.with_target

    @property
    def compliance(self) -> float | None:
        """Share of spans with a target that ended in time, 0..1; None when none had a target."""
        return self.met_target / self.with_target if self.with_target else None


@dataclass(frozen=True)
class SatisfactionFigures:
    distribution: list[Breakdown]

    @property
    def surveyed(self) -> int:
        return sum(level.count for level in self.distribution)

    @property
    def score(self) -> float | None:
        if not self.surveyed:
            return None
        points = sum(SATISFACTION_POINTS[level.key] * level.count for level in self.distribution)
        return points / self.surveyed

    @property
    def satisfied_share(self) -> float | None:
        if not self.surveyed:
            return None
        pleased = {Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED}
        return sum(level.count for level in self.distribution if level.key in pleased) / (
            self.surveyed
        )


@dataclass(frozen=True)
class MonthVolume:
    month: Period
    opened: int
    resolved: int


@dataclass(frozen=True)
class RegionalReport:
    region: Region
    period: Period
    opened: int
    resolved: int
    closed: int
    by_line: list[Breakdown]
    by_classification: list[Breakdown]
    by_product: list[Breakdown]
    by_priority: list[Breakdown]
    lines: list[LineFigures]
    satisfaction: SatisfactionFigures
    problems: list[Breakdown]
    knowledge: RegionKnowledge
    trend: list[MonthVolume] = field(default_factory=list)

    @property
    def breakdowns(self) -> list[tuple[str, list[Breakdown]]]:
        return [
            (_("Line"), self.by_line),
            (_("Classification"), self.by_classification),
            (_("Product"), self.by_product),
            (_("Priority"), self.by_priority),
        ]


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def _counts_by(cases, field_name: str, choices) -> list[Breakdown]:
    """Every choice in its defined order, zeros included, so reports line up month to month."""
    counts = dict(cases.values_list(field_name).annotate(n=Count("pk")).order_by())
    return [Breakdown(str(value), str(label), counts.get(value, 0)) for value, label in choices]


def _by_product(cases) -> list[Breakdown]:
    rows = (
        cases.values("product_id", "product__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "product__name")
    )
    return [Breakdown(str(row["product_id"]), row["product__name"], row["n"]) for row in rows]


def _span_totals(region_id: int | None, period: Period) -> dict[str, dict]:
    spans = ClockSpan.objects.filter(_in("ended_at", period))
    if region_id is not None:
        spans = spans.filter(case__region_id=region_id)
    return {
        row["clock"]: row
        for row in spans.values("clock")
        .annotate(
            ended=Count("pk"),
            with_target=Count("pk", filter=Q(resolve_due_at__isnull=False)),
            met=Count("pk", filter=Q(ended_at__lte=F("resolve_due_at"))),
            worked_total=Sum("worked"),
        )
        .order_by()
    }


def line_figures(*, region_id: int | None, period: Period) -> list[LineFigures]:
    totals, spreads = spans_ended(region_id=region_id, start=period.start, end=period.end)
    if totals is None:
        totals = _span_totals(region_id, period)
    figures = []
    for clock, label in Clock.choices:
        row = totals.get(clock, {})
        spread = spreads.get(clock, {})
        figures.append(
            LineFigures(
                clock=clock,
                label=str(label),
                spans_ended=row.get("ended", 0),
                with_target=row.get("with_target", 0),
                met_target=row.get("met", 0),
                worked_total=row.get("worked_total") or timedelta(0),
                response=spread.get(RESPONSE, NO_SPREAD),
                worked=spread.get(WORKED, NO_SPREAD),
            )
        )
    return figures


def satisfaction_figures(follow_ups) -> SatisfactionFigures:
    counts = dict(
        follow_ups.exclude(satisfaction="")
        .values_list("satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return SatisfactionFigures(
        [
            Breakdown(level, str(label), counts.get(level, 0))
            for level, label in Satisfaction.choices
        ]
    )


def _frequent_problems(cases) -> list[Breakdown]:
    # Grouped on the cases themselves: the period's cases are found by their indexed opened_at.
    rows = (
        cases.exclude(problem=None)
        .values("problem_id", "problem__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "problem_id")[:TOP_PROBLEMS]
    )
    return [
        Breakdown(f"PRB{row['problem_id']:05d}", row["problem__title"], row["n"]) for row in rows
    ]


def _trend(region: Region, period: Period) -> list[MonthVolume]:
    """Opened and resolved per month, for the months up to the end of the period."""
    months = [Period(MONTH, period.year, period.first_month + period.months - 1)]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    start, end, zone = months[0].start, months[-1].end, timezone.get_default_timezone()
    cases = Case.objects.filter(region=region)

    def per_month(field_name: str) -> dict[tuple[int, int], int]:
        rows = (
            cases.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
            .annotate(month=TruncMonth(field_name, tzinfo=zone))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(row["month"].year, row["month"].month): row["n"] for row in rows}

    opened, resolved = per_month("opened_at"), per_month("resolved_at")
    return [
        MonthVolume(
            month,
            opened.get((month.year, month.number), 0),
            resolved.get((month.year, month.number), 0),
        )
        for month in months
    ]


def build_regional_report(*, region: Region, period: Period) -> RegionalReport:
    cases = Case.objects.filter(region=region)
    # Three counts rather than one pass with FILTER: each can use its own date index.
    opened_cases = cases.filter(_in("opened_at", period))
    volume = {
        "opened": opened_cases.count(),
        "resolved": cases.filter(_in("resolved_at", period)).count(),
        "closed": cases.filter(_in("closed_at", period)).count(),
    }
    return RegionalReport(
        region=region,
        period=period,
        opened=volume["opened"],
        resolved=volume["resolved"],
        closed=volume["closed"],
        by_line=_counts_by(opened_cases, "line", Line.choices),
        by_classification=_counts_by(
            opened_cases, "classification", [("", _("Not classified")), *Classification.choices]
        ),
        by_product=_by_product(opened_cases),
        by_priority=_counts_by(opened_cases, "priority", Priority.choices),
        lines=line_figures(region_id=region.pk, period=period),
        satisfaction=satisfaction_figures(
            FollowUp.objects.filter(case__region=region).filter(_in("closed_at", period))
        ),
        problems=_frequent_problems(opened_cases),
        knowledge=region_knowledge(region=region, period=period),
        trend=_trend(region, period),
    )
