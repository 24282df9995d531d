"""Median and 90th percentile of each line's response and working time, computed in the database.

Both measures are taken over the clock spans that ended in the period (a line's span ends when
it passes the case on or the case is resolved):

- response time: wall-clock seconds from the line getting the case (started_at) to its first
  response (responded_at); spans without a response are left out;
- working time: the business time the line spent (ClockSpan.worked, counted on the SLA
  target's calendar, pauses excluded).

Percentiles interpolate linearly between the two nearest ranks, as PostgreSQL's
percentile_cont does: position p * (n - 1) in the sorted values. PostgreSQL computes them with
percentile_cont; other databases (SQLite) with ROW_NUMBER and COUNT windows over the same
sorted values. No rows are loaded into Python: only one row per line, measure and percentile.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from tierdesk.cases.enums import Clock
from tierdesk.cases.models import ClockSpan

MEDIAN, P90 = 0.5, 0.9
RESPONSE, WORKED = "response", "worked"


@dataclass(frozen=True)
class Spread:
    """Seconds; None when no span had the measure."""

    median: float | None
    p90: float | None


def _expressions(vendor: str) -> tuple[str, str, str]:
    """SQL for response seconds, working seconds and rounding down, per database."""
    if vendor == "postgresql":
        return (
            "EXTRACT(EPOCH FROM (s.responded_at - s.started_at))::float8",
            "EXTRACT(EPOCH FROM s.worked)::float8",
            "FLOOR({})",
        )
    # SQLite keeps datetimes as ISO text and durations as integer microseconds.
    return (
        "(julianday(s.responded_at) - julianday(s.started_at)) * 86400.0",
        "s.worked / 1000000.0",
        "CAST({} AS INTEGER)",
    )


def _scope(region_id: int | None, start: datetime, end: datetime) -> tuple[str, list]:
    adapt = connection.ops.adapt_datetimefield_value
    where = "s.ended_at >= %s AND s.ended_at < %s"
    params = [adapt(start), adapt(end)]
    if region_id is not None:
        where += " AND s.region_id = %s"
        params.append(region_id)
    return where, params


def _spans() -> str:
    return ClockSpan._meta.db_table


def _percentile_cont_sql(where: str, response: str, worked: str) -> str:
    """One row: per clock, its four percentiles and SLA totals, each aggregate FILTERed to
    the clock. Grouping by clock instead would first sort every span by clock."""
    columns = []
    for clock in Clock.values:
        only = f"FILTER (WHERE s.clock = '{clock}')"
        columns += [
            f"percentile_cont({p}) WITHIN GROUP (ORDER BY {expression}) {only}"
            for expression in (response, worked)
            for p in (MEDIAN, P90)
        ]
        # The same pass counts the spans for the SLA figures: one scan of the period's spans.
        columns += [
            f"COUNT(*) {only}",
            f"COUNT(*) FILTER (WHERE s.clock = '{clock}' AND s.resolve_due_at IS NOT NULL)",
            f"COUNT(*) FILTER (WHERE s.clock = '{clock}' AND s.ended_at <= s.resolve_due_at)",
            f"SUM(s.worked) {only}",
        ]
    return f"SELECT {', '.join(columns)}\nFROM {_spans()} s\nWHERE {where}"


def _window_sql(where: str, response: str, worked: str, floor: str) -> str:
    spans = _spans()
    position = floor.format("w.p * (r.n - 1)")
    return f"""
WITH measured AS (
    SELECT s.clock AS clock, '{RESPONSE}' AS measure, {response} AS x
    FROM {spans} s
    WHERE {where} AND s.responded_at IS NOT NULL
    UNION ALL
    SELECT s.clock, '{WORKED}', {worked}
    FROM {spans} s
    WHERE {where} AND s.worked IS NOT NULL
), ranked AS (
    SELECT clock, measure, x,
        ROW_NUMBER() OVER (PARTITION BY clock, measure ORDER BY x) - 1 AS i,
        COUNT(*) OVER (PARTITION BY clock, measure) AS n
    FROM measured
), wanted AS (
    SELECT {MEDIAN} AS p UNION ALL SELECT {P90}
)
SELECT r.clock, r.measure, w.p,
    MAX(CASE WHEN r.i = {position} THEN r.x END),
    MAX(CASE WHEN r.i = {position} + 1 THEN r.x END),
    MAX(w.p * (r.n - 1) - {position})
FROM ranked r CROSS JOIN wanted w
WHERE r.i BETWEEN {position} AND {position} + 1
GROUP BY r.clock, r.measure, w.p
"""


def line_time_spreads(
    *, region_id: int | None, start: datetime, end: datetime, use_windows: bool = False
) -> dict[str, dict[str, Spread]]:
    """{clock: {"response": Spread, "worked": Spread}} for spans ended in [start, end).

    use_windows forces the portable window query on PostgreSQL too (the benchmark compares both).
    """
    return spans_ended(region_id=region_id, start=start, end=end, use_windows=use_windows)[1]


def spans_ended(
    *, region_id: int | None, start: datetime, end: datetime, use_windows: bool = False
) -> tuple[dict[str, dict] | None, dict[str, dict[str, Spread]]]:
    """(totals, spreads) of the spans ended in [start, end).

    totals, per clock {"ended", "with_target", "met", "worked_total"}, come in the same query
    on PostgreSQL; elsewhere they are None and the caller counts them with the ORM.
    """
    vendor = connection.vendor
    response, worked, floor = _expressions(vendor)
    where, params = _scope(region_id, start, end)
    result: dict[str, dict[str, Spread]] = {}
    with connection.cursor() as cursor:
        if vendor == "postgresql" and not use_windows:
            cursor.execute(_percentile_cont_sql(where, response, worked), params)
            row = cursor.fetchone()
            totals = {}
            for index, clock in enumerate(Clock.values):
                r50, r90, w50, w90, ended, targeted, met, total = row[index * 8 : index * 8 + 8]
                if not ended:
                    continue
                result[clock] = {RESPONSE: Spread(r50, r90), WORKED: Spread(w50, w90)}
                totals[clock] = {
                    "ended": ended,
                    "with_target": targeted,
                    "met": met,
                    "worked_total": total,
                }
            return totals, result
        cursor.execute(_window_sql(where, response, worked, floor), params * 2)
        values: dict[tuple[str, str, float], float] = {}
        for clock, measure, p, lower, upper, fraction in cursor.fetchall():
            lower, fraction = float(lower), float(fraction or 0)
            upper = lower if upper is None else float(upper)
            values[clock, measure, round(float(p), 2)] = lower + (upper - lower) * fraction
    for clock, measure, _p in values:
        result.setdefault(clock, {})[measure] = Spread(
            values.get((clock, measure, MEDIAN)), values.get((clock, measure, P90))
        )
    return None, result
