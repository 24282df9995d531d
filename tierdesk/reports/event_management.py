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

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.enums import Classification, Clock, Line, Priority
from tierdesk.cases.models import Case, ClockSpan, Problem
from tierdesk.followups.enums import Satisfaction
from tierdesk.followups.models import FollowUp
from tierdesk.organization.models import Product, Region
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


def trend_months(period: Period) -> list[Period]:
    """The TREND_MONTHS months up to the end of the period, oldest first."""
    months = [Period(MONTH, period.year, period.first_month + period.months - 1)]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    return months


def _case_figures_sql(months: list[Period]) -> str:
    """One statement for every figure taken from the region's cases. Rows: (figure, key, count).

    The volumes per month and the cases closed in the period are counted on the indexes of
    (region, opened_at), (region, resolved_at) and (region, closed_at) alone; only the cases
    opened in the period are read from the table, once, for the breakdowns. The cases opened
    and resolved in the period are those of the trend's last months. Dates are compared as
    parameters, so the same SQL runs on PostgreSQL and SQLite.
    """
    cases = Case._meta.db_table
    month_of = "CASE {} END".format(
        " ".join(f"WHEN {{column}} < %s THEN {index}" for index, _month in enumerate(months[:-1]))
        + f" ELSE {len(months) - 1}"
    )
    by_month = [
        f"SELECT '{figure}', CAST({month_of.format(column=column)} AS TEXT), COUNT(*) "
        f"FROM {cases} WHERE region_id = %s AND {column} >= %s AND {column} < %s GROUP BY 2"
        for figure, column in (("opened_month", "opened_at"), ("resolved_month", "resolved_at"))
    ]
    breakdowns = [
        f"SELECT '{column}', CAST({column} AS TEXT), COUNT(*) FROM opened GROUP BY {column}"
        for column in ("line", "classification", "priority", "product_id")
    ]
    return f"""
WITH opened AS MATERIALIZED (
    SELECT line, classification, priority, product_id, problem_id
    FROM {cases}
    WHERE region_id = %s AND opened_at >= %s AND opened_at < %s
)
{" UNION ALL ".join(by_month)}
UNION ALL
SELECT 'closed', '', COUNT(*) FROM {cases}
WHERE region_id = %s AND closed_at >= %s AND closed_at < %s
UNION ALL
{" UNION ALL ".join(breakdowns)}
UNION ALL
SELECT 'problem_id', CAST(problem_id AS TEXT), n FROM (
    SELECT problem_id, COUNT(*) AS n FROM opened WHERE problem_id IS NOT NULL
    GROUP BY problem_id ORDER BY n DESC, problem_id LIMIT {TOP_PROBLEMS}
) top_problems
"""


def case_figures(region: Region, period: Period) -> dict[str, dict[str, int]]:
    """{figure: {key: count}} of the region's cases; see _case_figures_sql for the figures."""
    months = trend_months(period)
    adapt = connection.ops.adapt_datetimefield_value
    window, start, end = adapt(months[0].start), adapt(period.start), adapt(period.end)
    per_month = [*(adapt(month.end) for month in months[:-1]), region.pk, window, end]
    params = [
        *(region.pk, start, end),  # opened in the period
        *per_month,  # opened per month
        *per_month,  # resolved per month
        *(region.pk, start, end),  # closed in the period
    ]
    figures: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_case_figures_sql(months), params)
        for figure, key, count in cursor.fetchall():
            figures.setdefault(figure, {})[key or ""] = count
    in_period = [str(index) for index in range(len(months) - period.months, len(months))]
    for figure in ("opened", "resolved"):
        counts = figures.get(f"{figure}_month", {})
        figures[figure] = {"": sum(counts.get(index, 0) for index in in_period)}
    return figures


def _counts_by(counts: dict[str, int], choices) -> list[Breakdown]:
    """Every choice in its defined order, zeros included, so reports line up month to month."""
    return [
        Breakdown(str(value), str(label), counts.get(str(value), 0)) for value, label in choices
    ]


def _by_product(counts: dict[str, int]) -> list[Breakdown]:
    names = dict(
        Product.objects.filter(pk__in=[int(pk) for pk in counts]).values_list("pk", "name")
    )
    rows = [Breakdown(key, names.get(int(key), ""), n) for key, n in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _frequent_problems(counts: dict[str, int]) -> list[Breakdown]:
    titles = dict(
        Problem.objects.filter(pk__in=[int(pk) for pk in counts]).values_list("pk", "title")
    )
    ranked = sorted(((int(pk), n) for pk, n in counts.items()), key=lambda row: (-row[1], row[0]))
    return [Breakdown(f"PRB{pk:05d}", titles.get(pk, ""), n) for pk, n in ranked]


def _trend(figures: dict[str, dict[str, int]], period: Period) -> list[MonthVolume]:
    """Opened and resolved per month, for the months up to the end of the period."""
    opened, resolved = figures.get("opened_month", {}), figures.get("resolved_month", {})
    return [
        MonthVolume(month, opened.get(str(index), 0), resolved.get(str(index), 0))
        for index, month in enumerate(trend_months(period))
    ]


def _span_totals(region_id: int | None, period: Period) -> dict[str, dict]:
    spans = ClockSpan.objects.filter(_in("ended_at", period))
    if region_id is not None:
        spans = spans.filter(region_id=region_id)
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
        # COUNT(*), not COUNT(id): the follow_up_answered index then answers it alone.
        .annotate(n=Count("*"))
        .order_by()
    )
    return SatisfactionFigures(
        [
            Breakdown(level, str(label), counts.get(level, 0))
            for level, label in Satisfaction.choices
        ]
    )


def build_regional_report(*, region: Region, period: Period) -> RegionalReport:
    figures = case_figures(region, period)
    volume = {name: figures.get(name, {}).get("", 0) for name in ("opened", "resolved", "closed")}
    return RegionalReport(
        region=region,
        period=period,
        opened=volume["opened"],
        resolved=volume["resolved"],
        closed=volume["closed"],
        by_line=_counts_by(figures.get("line", {}), Line.choices),
        by_classification=_counts_by(
            figures.get("classification", {}),
            [("", _("Not classified")), *Classification.choices],
        ),
        by_product=_by_product(figures.get("product_id", {})),
        by_priority=_counts_by(figures.get("priority", {}), Priority.choices),
        lines=line_figures(region_id=region.pk, period=period),
        satisfaction=satisfaction_figures(
            FollowUp.objects.filter(region=region).filter(_in("closed_at", period))
        ),
        problems=_frequent_problems(figures.get("problem_id", {})),
        knowledge=region_knowledge(region=region, period=period),
        trend=_trend(figures, period),
    )
