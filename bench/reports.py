"""Benchmark of the reports over many cases on PostgreSQL.

Seeds N cases (default 1,000,000) with COPY, spread over regions, lines, products, priorities
and 24 months, each with its clock spans and, once resolved, its resolution event and
satisfaction follow-up; then prints the seeding rate and the time of the quarterly assessment
and of one region's quarter report (target: under 2 s each).

    createdb -h 127.0.0.1 -U postgres tierdesk_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_bench_reports \\
        .venv/bin/python bench/reports.py [--cases 1000000] [--reuse]

--reuse skips seeding when the database already holds cases (to time the queries again).
The database is migrated first; seeded rows are added to whatever it holds.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tierdesk.cases.models import Case, Problem  # noqa: E402
from tierdesk.organization.models import (  # noqa: E402
    Customer,
    Department,
    DepartmentFunction,
    Product,
    ProductCategory,
    Region,
    Role,
    RoleCode,
    Site,
    User,
)
from tierdesk.reports.assessment_figures import quarter_figures  # noqa: E402
from tierdesk.reports.event_management import build_regional_report  # noqa: E402
from tierdesk.reports.percentiles import line_time_spreads  # noqa: E402
from tierdesk.reports.periods import Period  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 1, 1, tzinfo=SHANGHAI)
DAYS = 730  # 2025 and 2026
QUARTER = Period.parse("2026-Q3")
CHUNK = 50_000
REGIONS = [  # code, name, share of the cases
    ("east", "华东大区", 0.22),
    ("south", "华南大区", 0.18),
    ("north", "华北大区", 0.15),
    ("central", "华中大区", 0.12),
    ("southwest", "西南大区", 0.11),
    ("northwest", "西北大区", 0.08),
    ("northeast", "东北大区", 0.08),
    ("overseas", "海外大区", 0.06),
]
PRIORITIES = (["P1"] * 5) + (["P2"] * 20) + (["P3"] * 55) + (["P4"] * 20)
RESOLUTION_HOURS = {"P1": 4, "P2": 8, "P3": 24, "P4": 40}
CLASSIFICATIONS = (
    ["onsite"] * 5
    + ["product_defect"] * 2
    + [
        "solution_defect",
        "integration_product",
        "requirement",
        "partner_product",
        "",
    ]
)
SATISFACTION = (
    ["very_satisfied"] * 40
    + ["satisfied"] * 35
    + ["neutral"] * 15
    + ["dissatisfied"] * 7
    + ["very_dissatisfied"] * 3
)

CASE_COLUMNS = [
    "id", "title", "description", "source", "channel", "priority", "classification",
    "line3_category", "status", "line", "resolution", "waiting_on", "opened_at", "resolved_at",
    "closed_at", "version", "updated_at", "customer_id", "product_id", "region_id",
    "reporter_id", "site_id", "problem_id", "owner_id",
]  # fmt: skip
SPAN_COLUMNS = [
    "case_id", "region_id", "clock", "started_at", "responded_at", "ended_at", "resolve_due_at",
    "worked",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "case_id", "kind", "action", "at", "from_status", "to_status", "from_line", "to_line",
    "text", "is_internal", "field", "old_value", "new_value", "actor_id",
]  # fmt: skip
FOLLOW_UP_COLUMNS = [
    "case_id", "resolution_event_id", "assignee_id", "state", "created_at", "due_at",
    "max_failed_attempts", "link_valid_days", "satisfaction", "comment", "answered_via",
    "closed_at",
]  # fmt: skip


def _role(code):
    return Role.objects.get_or_create(code=code)[0]


def reference_data():
    """Regions with their people and sites, products, customers and problems."""
    service = Department.objects.get_or_create(
        code="bench-engineering-service",
        defaults={"name": "工程服务部（基准）", "function": DepartmentFunction.ENGINEERING_SERVICE},
    )[0]
    customers = [Customer.objects.get_or_create(name=f"基准客户{n}")[0] for n in range(40)]
    products = [
        Product.objects.get_or_create(
            code=f"bench-{n}",
            defaults={
                "name": f"基准产品{n}",
                "category": ProductCategory.OWN if n < 14 else ProductCategory.VIDEO,
            },
        )[0]
        for n in range(20)
    ]
    line2 = []
    for n in range(12):
        user, _ = User.objects.get_or_create(
            username=f"bench-l2-{n}",
            defaults={"last_name": "二线", "first_name": str(n), "department": service},
        )
        user.roles.add(_role(RoleCode.LINE2_ENGINEER))
        line2.append(user)
    regions = []
    for code, name, share in REGIONS:
        region = Region.objects.get_or_create(code=f"bench-{code}", defaults={"name": name})[0]
        field, support = [], []
        for n in range(6):
            user, _ = User.objects.get_or_create(
                username=f"bench-{code}-fe{n}",
                defaults={"last_name": "一线", "first_name": str(n), "region": region},
            )
            user.roles.add(_role(RoleCode.FIELD_ENGINEER))
            field.append(user.pk)
        for n in range(3):
            user, _ = User.objects.get_or_create(
                username=f"bench-{code}-rs{n}",
                defaults={"last_name": "区域", "first_name": str(n), "region": region},
            )
            user.roles.add(_role(RoleCode.REGIONAL_SUPPORT))
            support.append(user.pk)
        sites = [
            Site.objects.get_or_create(
                customer=customers[n % len(customers)],
                name=f"{name}基准机房{n}",
                defaults={"region": region},
            )[0].pk
            for n in range(12)
        ]
        regions.append((region, share, field, support, sites))
    author = line2[0]
    problems = [
        Problem.objects.get_or_create(
            title=f"基准问题{n}", defaults={"created_by": author, "created_at": START}
        )[0].pk
        for n in range(300)
    ]
    return regions, [p.pk for p in products], [u.pk for u in line2], customers, problems


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def copy_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    quoted = ", ".join(f'"{column}"' for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def seed(total: int) -> float:
    rng = random.Random(20260331)
    regions, products, _line2, customers, problems = reference_data()
    weights = [share for _region, share, *_rest in regions]
    case_id, event_id = next_id("cases_case"), next_id("cases_caseevent")
    started = time.perf_counter()
    # The generated rows are consistent by construction: skip the per-row foreign-key triggers
    # while loading, as a bulk load would (needs a superuser, as postgres is here).
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    made = 0
    while made < total:
        cases, spans, events, follow_ups = [], [], [], []
        for _ in range(min(CHUNK, total - made)):
            region, _share, field, support, sites = rng.choices(regions, weights)[0]
            site = rng.choice(sites)
            priority = rng.choice(PRIORITIES)
            opened = START + timedelta(seconds=rng.randrange(DAYS * 86400))
            line = rng.choices((1, 2, 3), (60, 30, 10))[0]
            target = timedelta(hours=RESOLUTION_HOURS[priority])
            moment, last_end = opened, None
            for clock in ("line1", "line2", "vendor")[:line]:
                responded = moment + timedelta(minutes=rng.uniform(5, 360))
                duration = target * rng.uniform(0.2, 1.6)
                ended = moment + duration * rng.uniform(1.0, 2.5)  # nights and weekends
                spans.append(
                    (
                        case_id, region.pk, clock, moment, responded, ended,
                        moment + target * 1.8, duration,
                    )
                )  # fmt: skip
                moment = last_end = ended
            resolved = rng.random() < 0.9
            status = "resolved" if resolved else ("field", "line2", "vendor")[line - 1]
            closed_at = None
            if resolved:
                if rng.random() < 0.8:
                    status = "closed"
                    closed_at = last_end + timedelta(days=rng.uniform(0.5, 3))
            else:
                # A case still open: its last line's clock is still running.
                spans[-1] = (*spans[-1][:5], None, spans[-1][6], None)
            cases.append(
                (
                    case_id, "基准问题单", "bench", "customer", "field", priority,
                    rng.choice(CLASSIFICATIONS), "", status, line, "", "", opened,
                    last_end if resolved else None, closed_at, 1, last_end, customers[0].pk,
                    rng.choice(products), region.pk, rng.choice(field), site,
                    rng.choice(problems) if rng.random() < 0.2 else None, rng.choice(field),
                )
            )  # fmt: skip
            if resolved:
                events.append(
                    (
                        event_id, case_id, "transition", "resolve", last_end, status, "resolved",
                        line, None, "", True, "", "", "", rng.choice(field),
                    )
                )  # fmt: skip
                answered = closed_at is not None
                follow_ups.append(
                    (
                        case_id, event_id, rng.choice(support),
                        "satisfied" if answered else "open", last_end,
                        last_end + timedelta(days=1), 3, 7,
                        rng.choice(SATISFACTION) if answered else "", "",
                        "phone" if answered else "", closed_at,
                    )
                )  # fmt: skip
                event_id += 1
            case_id += 1
        copy_rows("cases_case", CASE_COLUMNS, cases)
        copy_rows("cases_clockspan", SPAN_COLUMNS, spans)
        copy_rows("cases_caseevent", EVENT_COLUMNS, events)
        copy_rows("followups_followup", FOLLOW_UP_COLUMNS, follow_ups)
        made += len(cases)
        print(f"  {made:,} cases", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in ("cases_case", "cases_caseevent"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
        # As autovacuum would after such a load: statistics, and the visibility map that lets
        # the reports read their covering indexes without visiting the tables.
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


# Indexes the reports would want on tables other packages own; the benchmark can time the
# queries with them (--proposed-indexes) so their owners can decide.
PROPOSED_INDEXES = [
    # The breakdowns of the cases opened in the period, read from the index alone.
    "CREATE INDEX IF NOT EXISTS bench_case_region_opened_breakdowns ON cases_case "
    "(region_id, opened_at) INCLUDE (line, classification, priority, product_id, problem_id)",
]


class QueryLog:
    """Each SQL statement a report runs, with its parameters and wall time."""

    def __init__(self):
        self.queries: list[tuple[str, tuple, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, time.perf_counter() - started))


def profile(label: str, function, explain: bool) -> None:
    """Per-query timings of one run; with explain, each query's EXPLAIN ANALYZE plan."""
    log = QueryLog()
    with connection.execute_wrapper(log):
        function()
    total = sum(seconds for _sql, _params, seconds in log.queries)
    print(f"{label}: {len(log.queries)} queries, {total:.3f} s in the database")
    for number, (sql, _params, seconds) in enumerate(log.queries, 1):
        print(f"  [{number}] {seconds * 1000:8.1f} ms  {' '.join(sql.split())[:150]}")
    if not explain:
        return
    for number, (sql, params, _seconds) in enumerate(log.queries, 1):
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
        print(f"  [{number}] {' '.join(sql.split())[:300]}\n{plan}")


def timed(label: str, function, repeat: int = 3):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    print(f"{label}: best {min(times):.3f} s, first {times[0]:.3f} s (of {repeat} runs)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--proposed-indexes", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="print each query's time after the timings"
    )
    parser.add_argument(
        "--explain", action="store_true", help="with --profile: each query's EXPLAIN ANALYZE"
    )
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is about PostgreSQL.")
    call_command("migrate", verbosity=0)
    if arguments.reuse and Case.objects.exists():
        print(f"Reusing {Case.objects.count():,} cases.")
    else:
        seconds = seed(arguments.cases)
        print(
            f"Seeded {arguments.cases:,} cases in {seconds:.1f} s "
            f"({arguments.cases / seconds:,.0f} cases/s, with spans, events and follow-ups)."
        )
    if arguments.proposed_indexes:
        with connection.cursor() as cursor:
            for statement in PROPOSED_INDEXES:
                cursor.execute(statement)
            cursor.execute("ANALYZE")
        print("With the proposed indexes:", *PROPOSED_INDEXES, sep="\n  ")
    region = Region.objects.get(code="bench-east")
    print(f"Totals: {Case.objects.count():,} cases; quarter {QUARTER.key}, region {region}.")
    figures = timed("Quarterly assessment", lambda: quarter_figures(QUARTER))
    surveyed = sum(row.surveyed for row in figures.satisfaction)
    print(f"  {len(figures.satisfaction)} regional support engineers, {surveyed:,} surveyed")
    report = timed(
        "Regional quarter report", lambda: build_regional_report(region=region, period=QUARTER)
    )
    print(f"  opened {report.opened:,}, resolved {report.resolved:,}, closed {report.closed:,}")
    for line in report.lines:
        compliance = "—" if line.compliance is None else f"{line.compliance:.1%}"
        print(
            f"  {line.clock}: {line.spans_ended:,} spans, SLA {compliance}, "
            f"worked median {line.worked.median / 3600:.2f} h, p90 {line.worked.p90 / 3600:.2f} h"
        )
    # The portable window query must agree with percentile_cont.
    arguments_ = {"region_id": region.pk, "start": QUARTER.start, "end": QUARTER.end}
    windows = timed(
        "Window-function percentiles (portable path)",
        lambda: line_time_spreads(**arguments_, use_windows=True),
        repeat=1,
    )
    exact = line_time_spreads(**arguments_)
    for clock, measures in exact.items():
        for measure, spread in measures.items():
            other = windows[clock][measure]
            assert abs(spread.median - other.median) < 1e-3, (clock, measure, spread, other)
            assert abs(spread.p90 - other.p90) < 1e-3, (clock, measure, spread, other)
    print("  window-function percentiles equal percentile_cont.")
    if arguments.profile or arguments.explain:
        profile("Quarterly assessment", lambda: quarter_figures(QUARTER), arguments.explain)
        profile(
            "Regional quarter report",
            lambda: build_regional_report(region=region, period=QUARTER),
            arguments.explain,
        )


if __name__ == "__main__":
    main()
