"""Bulk seeding of a PostgreSQL database for the benchmarks: cases with their history, articles.

Uses the demo organization (regions, people, customers, sites, products; `tierdesk demo`'s
password) and adds, with COPY:

- N cases (default 1,000,000) opened over the last two years, each with its history: opened,
  escalated (about 40 %, some on to a partner vendor), 0 to 3 comments, resolved and closed;
  its clock spans per line, the handling groups it reached, the satisfaction follow-up of a
  resolved case, and its row in the case search index;
- M knowledge articles (default 100,000) with one or two versions and their search-index rows,
  written in the index's exact format (the same segmentation as put_document, the same
  to_tsvector weights).

Most cases older than a month are closed; recent ones are still open in every queue. Prints the
seeding rate. The generated rows are consistent by construction; the foreign-key triggers are
skipped while loading (needs a superuser, as postgres is on a development machine).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_bench \\
        .venv/bin/python bench/seed.py [--cases 1000000] [--articles 100000] [--reuse]

--reuse seeds nothing when the database already holds at least that many cases.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from tierdesk.cases.models import Case  # noqa: E402
from tierdesk.knowledge.models import Article  # noqa: E402
from tierdesk.knowledge.search import vocabulary  # noqa: E402
from tierdesk.organization.demo import load_demo  # noqa: E402
from tierdesk.organization.models import Product, Region, RoleCode, Site, User  # noqa: E402

CHUNK = 20_000
DAYS = 730
RECENT = timedelta(days=30)
PRIORITIES = ["P1"] * 5 + ["P2"] * 20 + ["P3"] * 55 + ["P4"] * 20
RESOLUTION_HOURS = {"P1": 4, "P2": 8, "P3": 24, "P4": 40}
FAULTS = [
    "频繁离线", "告警上报中断", "串口采集失败", "升级后无法启动", "时间不同步", "数据丢失",
    "告警延迟", "录像回放花屏", "通信中断", "电压告警误报", "温度告警误报", "门禁无法开启",
    "网口闪断", "配置无法保存", "登录超时", "内存占用过高", "SNMP 采集异常", "北向接口断开",
    "蓄电池电压偏低", "整流模块故障", "风扇告警", "主备切换失败", "证书过期", "磁盘空间不足",
]  # fmt: skip
DETAILS = [
    "现场已重启设备，问题仍在。", "客户反映夜间多次出现，白天正常。",
    "更换网线后短暂恢复，次日再次出现。", "同批次其他站点未见异常。",
    "日志中有大量超时记录，已导出。", "升级到最新版本后首次出现。",
    "断电重启后恢复，但每周复现一次。", "动环平台显示离线，现场设备指示灯正常。",
]  # fmt: skip
COMMENTS = [
    "已联系客户确认现象。", "远程登录查看日志，未见明显错误。", "请现场协助抓包。",
    "已安排备件寄送。", "复现成功，正在分析。", "客户同意周末窗口操作。",
]  # fmt: skip
RESOLUTIONS = [
    "更换主板后恢复正常。", "重新配置采集参数并升级固件。", "修正时钟源配置。",
    "更换串口线缆，现场验证通过。", "调整告警阈值，观察三天无复现。", "恢复出厂设置后重新下发配置。",
]  # fmt: skip
SATISFACTION = (
    ["very_satisfied"] * 40 + ["satisfied"] * 35 + ["neutral"] * 15
    + ["dissatisfied"] * 7 + ["very_dissatisfied"] * 3
)  # fmt: skip
CATEGORIES = ["hardware", "software", "configuration", "network", "power", "integration", "other"]

CASE_COLUMNS = [
    "id", "title", "description", "source", "channel", "priority", "classification",
    "line3_category", "status", "line", "resolution", "waiting_on", "opened_at", "resolved_at",
    "closed_at", "response_due_at", "resolve_due_at", "version", "updated_at", "customer_id",
    "product_id", "region_id", "reporter_id", "site_id", "owner_id", "line2_owner_id",
    "updated_by_id",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "case_id", "kind", "action", "at", "from_status", "to_status", "from_line", "to_line",
    "text", "is_internal", "field", "old_value", "new_value", "actor_id",
]  # fmt: skip
SPAN_COLUMNS = [
    "case_id", "clock", "started_at", "responded_at", "ended_at", "resolve_due_at", "worked",
]  # fmt: skip
PARTICIPATION_COLUMNS = ["case_id", "group", "first_reached_at"]
FOLLOW_UP_COLUMNS = [
    "case_id", "region_id", "resolution_event_id", "assignee_id", "state", "created_at", "due_at",
    "max_failed_attempts", "link_valid_days", "satisfaction", "comment", "answered_via",
    "closed_at",
]  # fmt: skip
ARTICLE_COLUMNS = [
    "id", "title", "symptom", "cause", "solution", "product_id", "product_versions", "tags",
    "category", "language", "state", "author_id", "reviewer_id", "review_note",
    "current_version", "published_version", "published_at", "created_at", "updated_at",
]  # fmt: skip
VERSION_COLUMNS = [
    "article_id", "number", "title", "symptom", "cause", "solution", "product_id",
    "product_versions", "tags", "category", "language", "author_id", "created_at", "note",
]  # fmt: skip


class Organization:
    """The demo organization's ids, grouped the way the generator picks from them."""

    def __init__(self):
        load_demo()
        self.regions = []
        for region in Region.objects.order_by("code"):
            people = User.objects.filter(region=region, is_active=True)
            field = list(people.filter(roles__code=RoleCode.FIELD_ENGINEER).values_list("pk"))
            support = list(people.filter(roles__code=RoleCode.REGIONAL_SUPPORT).values_list("pk"))
            sites = list(Site.objects.filter(region=region).values_list("pk", "customer_id"))
            if field and support and sites:
                self.regions.append(
                    (region.pk, [f for (f,) in field], [s for (s,) in support], sites)
                )
        self.line2 = [
            pk
            for (pk,) in User.objects.filter(roles__code=RoleCode.LINE2_ENGINEER).values_list("pk")
        ]
        self.products = list(Product.objects.order_by("pk"))
        self.authors = self.line2 + [p for r in self.regions for p in r[2]]
        if not self.regions or not self.line2 or not self.products:
            raise SystemExit("The demo organization is incomplete: run `tierdesk demo` first.")


def table_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
        )
        return {name for (name,) in cursor.fetchall()}


def _text(value) -> str:
    # COPY's text format; the generated texts hold no tabs or backslashes, only newlines.
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, str):
        return value.replace("\n", "\\n")
    return str(value)


def copy_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY the rows in text format, which is several times faster to produce than write_row."""
    quoted = ", ".join(f'"{column}"' for column in columns)
    lines = "".join("\t".join(map(_text, row)) + "\n" for row in rows)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
    ):
        copy.write(lines)


SEEDED_TABLES = [
    "cases_case", "cases_caseevent", "cases_clockspan", "cases_caseparticipation",
    "followups_followup", "knowledge_case_index", "knowledge_caseindexstate",
    "knowledge_article", "knowledge_articleversion", "knowledge_article_index",
]  # fmt: skip


def drop_secondary_indexes() -> list[tuple[str, str]]:
    """Drop the indexes that back no constraint, to build each once after the load (far
    faster than keeping them up to date row by row); return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [SEEDED_TABLES],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


class IndexWriter:
    """Index rows in put_document's format: the words joined by spaces, weighted A, B and D.

    Texts repeat a lot across generated rows, so each distinct text is segmented once.
    """

    def __init__(self, table: str):
        self.table = table
        self.vocab = vocabulary()
        self.cache: dict[str, str] = {}

    def joined(self, text: str) -> str:
        words = self.cache.get(text)
        if words is None:
            words = self.cache[text] = " ".join(self.vocab.words(text))
        return words

    def write(self, rows: list[tuple[int, str, str, str]]) -> None:
        stage = f"stage_{self.table}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {stage} "
                "(object_id bigint, title text, symptom text, body text)"
            )
            cursor.execute(f"TRUNCATE {stage}")
        copy_rows(
            stage,
            ["object_id", "title", "symptom", "body"],
            [(pk, self.joined(t), self.joined(s), self.joined(b)) for pk, t, s, b in rows],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (object_id, document) SELECT object_id, "
                "setweight(to_tsvector('simple', title), 'A') || "
                "setweight(to_tsvector('simple', symptom), 'B') || "
                "setweight(to_tsvector('simple', body), 'D') FROM " + stage
            )


class History:
    """Event rows with consecutive ids, as the sequence would have given them."""

    def __init__(self, first_id: int):
        self.next_id = first_id
        self.rows: list[tuple] = []

    def for_case(self, case_id: int):
        def add(kind, at, actor, action="", text="", internal=True, **moves) -> int:
            self.rows.append(
                (
                    self.next_id, case_id, kind, action, at, moves.get("from_status", ""),
                    moves.get("to_status", ""), moves.get("from_line"), moves.get("to_line"),
                    text, internal, "", "", "", actor,
                )
            )  # fmt: skip
            self.next_id += 1
            return self.next_id - 1

        return add


def seed_cases(total: int, org: Organization, rng: random.Random) -> None:
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=DAYS)
    span_region = "region_id" in table_columns("cases_clockspan")
    span_columns = SPAN_COLUMNS + (["region_id"] if span_region else [])
    index = IndexWriter("knowledge_case_index")
    case_id, history = next_id("cases_case"), History(next_id("cases_caseevent"))
    # Recent cases are more numerous than old ones: the desk grows.
    weights = [1 + day / DAYS for day in range(DAYS)]
    made = 0
    while made < total:
        cases, spans, groups, follow_ups, indexed, states = [], [], [], [], [], []
        history.rows = []
        days = rng.choices(range(DAYS), weights, k=min(CHUNK, total - made))
        for day in days:
            region, field, support, sites = rng.choice(org.regions)
            site, customer = rng.choice(sites)
            product = rng.choice(org.products)
            priority = rng.choice(PRIORITIES)
            reporter = rng.choice(field)
            opened = start + timedelta(days=day, seconds=rng.randrange(86400))
            title = f"{product.name}{rng.choice(FAULTS)}"
            description = f"{title}。{rng.choice(DETAILS)}"
            line = rng.choices((1, 2, 3), (60, 32, 8))[0]
            age = now - opened
            resolved = rng.random() < (0.97 if age > RECENT else 0.45)
            target = timedelta(hours=RESOLUTION_HOURS[priority])

            event = history.for_case(case_id)
            event("created", opened, reporter, internal=False, to_status="field", to_line=1)
            groups.append((case_id, "field", opened))
            moment, status, owner, line2_owner = opened, "field", reporter, None
            clocks = ("line1", "line2", "vendor")[:line]
            for number, clock in enumerate(clocks):
                responded = moment + timedelta(minutes=rng.uniform(5, 240))
                worked = target * rng.uniform(0.2, 1.4)
                ended = moment + worked * rng.uniform(1.0, 2.5)  # nights and weekends
                if ended > now:
                    ended = None
                spans.append(
                    (case_id, clock, moment, responded, ended, moment + target * 1.8,
                     worked if ended else None, *([region] if span_region else []))
                )  # fmt: skip
                if number + 1 == len(clocks) or ended is None:
                    break
                # Handed on to the next line.
                if clock == "line1":
                    line2_owner = rng.choice(org.line2)
                    event("transition", ended, owner, "escalate", "现场无法解决，升级二线。",
                          from_status=status, to_status="line2", from_line=1, to_line=2)  # fmt: skip
                    groups.append((case_id, "line2", ended))
                    status, owner = "line2", line2_owner
                else:
                    event("transition", ended, owner, "transfer_vendor", "转合作厂商处理。",
                          from_status=status, to_status="vendor", from_line=2, to_line=3)  # fmt: skip
                    groups.append((case_id, "vendor", ended))
                    status = "vendor"
                moment = ended
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                at = opened + (moment - opened) * rng.random() + timedelta(minutes=1)
                event("comment", at, rng.choice((reporter, owner)), text=rng.choice(COMMENTS))
            last = spans[-1]
            resolved = resolved and last[4] is not None
            resolution, resolved_at, closed_at, version = "", None, None, 1 + case_id % 7
            if resolved:
                resolution, resolved_at = rng.choice(RESOLUTIONS), last[4]
                resolution_event = event(
                    "transition", resolved_at, owner, "resolve", resolution,
                    from_status=status, to_status="resolved", from_line=line,
                )  # fmt: skip
                status = "resolved"
                follow_up_due = resolved_at + timedelta(days=1)
                answered = follow_up_due < now and rng.random() < 0.95
                if answered:
                    closed_at = follow_up_due - timedelta(hours=rng.uniform(1, 20))
                    event("transition", closed_at, rng.choice(support), "close",
                          from_status="resolved", to_status="closed", from_line=line)  # fmt: skip
                    status = "closed"
                follow_ups.append(
                    (
                        case_id, region, resolution_event, rng.choice(support),
                        "satisfied" if answered else "open", resolved_at, follow_up_due, 3, 7,
                        rng.choice(SATISFACTION) if answered else "", "",
                        "phone" if answered else "", closed_at,
                    )
                )  # fmt: skip
            elif last[4] is not None:
                # The line's span ended but nobody resolved yet: still with that line.
                spans[-1] = (*last[:4], None, last[5], None, *last[7:])
            updated_at = closed_at or resolved_at or moment
            cases.append(
                (
                    case_id, title, description, "customer", "field", priority, "", "", status,
                    line, resolution, "", opened, resolved_at, closed_at,
                    opened + timedelta(minutes=30), opened + target * 1.8 * line, version,
                    updated_at, customer, product.pk, region, reporter, site, owner, line2_owner,
                    owner,
                )
            )  # fmt: skip
            indexed.append((case_id, title, description, f"{resolution}\n{product.name}"))
            states.append((case_id, version))
            case_id += 1
        with transaction.atomic():
            copy_rows("cases_case", CASE_COLUMNS, cases)
            copy_rows("cases_caseevent", EVENT_COLUMNS, history.rows)
            copy_rows("cases_clockspan", span_columns, spans)
            copy_rows("cases_caseparticipation", PARTICIPATION_COLUMNS, groups)
            copy_rows("followups_followup", FOLLOW_UP_COLUMNS, follow_ups)
            index.write(indexed)
            copy_rows("knowledge_caseindexstate", ["case_id", "indexed_version"], states)
        made += len(cases)
        print(f"  {made:,} cases", end="\r", flush=True)
    print()


def seed_articles(total: int, org: Organization, rng: random.Random) -> None:
    now = timezone.now().replace(microsecond=0)
    index = IndexWriter("knowledge_article_index")
    article_id = next_id("knowledge_article")
    made = 0
    while made < total:
        articles, versions, indexed = [], [], []
        for _ in range(min(CHUNK, total - made)):
            product = rng.choice(org.products)
            fault = rng.choice(FAULTS)
            title = f"{product.name}{fault}的处理方法"
            symptom = f"{product.name}{fault}。{rng.choice(DETAILS)}"
            cause = rng.choice(("固件缺陷。", "现场接线错误。", "配置参数不当。", "备件老化。"))
            solution = rng.choice(RESOLUTIONS)
            tags = f"{product.name},{fault}"
            category = rng.choice(CATEGORIES)
            author = rng.choice(org.authors)
            created = now - timedelta(days=rng.uniform(1, DAYS))
            revised = rng.random() < 0.3
            current = 2 if revised else 1
            state = rng.choices(("published", "draft", "in_review", "archived"), (85, 5, 5, 5))[0]
            published = None if state in ("draft",) else (current if state != "in_review" else 1)
            if state == "in_review" and not revised:
                published = None
            content = (title, symptom, cause, solution, product.pk, "V2.1, V2.2", tags, category)
            articles.append(
                (
                    article_id, *content, "zh-hans", state, author,
                    rng.choice(org.line2) if published else None, "", current, published,
                    created + timedelta(days=2) if published else None, created,
                    created + timedelta(days=3 if revised else 0),
                )
            )  # fmt: skip
            for number in range(1, current + 1):
                versions.append(
                    (
                        article_id,
                        number,
                        *content,
                        "zh-hans",
                        author,
                        created + timedelta(days=number - 1),
                        "",
                    )
                )
            body = "\n".join([cause, solution, tags, "V2.1, V2.2", str(product)])
            indexed.append((article_id, title, symptom, body))
            article_id += 1
        with transaction.atomic():
            copy_rows("knowledge_article", ARTICLE_COLUMNS, articles)
            copy_rows("knowledge_articleversion", VERSION_COLUMNS, versions)
            index.write(indexed)
        made += len(articles)
        print(f"  {made:,} articles", end="\r", flush=True)
    print()


def reset_sequences() -> None:
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_caseevent", "knowledge_article"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def seed(cases: int, articles: int) -> None:
    rng = random.Random(20261128)
    org = Organization()
    indexes = drop_secondary_indexes()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
    try:
        started = time.perf_counter()
        seed_cases(cases, org, rng)
        seconds = time.perf_counter() - started
        print(
            f"Seeded {cases:,} cases in {seconds:.0f} s ({cases / seconds:,.0f} cases/s, "
            "with events, clock spans, groups, follow-ups and search index)."
        )
        started = time.perf_counter()
        seed_articles(articles, org, rng)
        seconds = time.perf_counter() - started
        print(
            f"Seeded {articles:,} articles in {seconds:.0f} s "
            f"({articles / seconds:,.0f} articles/s, with versions and search index)."
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
        started = time.perf_counter()
        create_indexes(indexes)
        print(f"Built {len(indexes)} indexes in {time.perf_counter() - started:.0f} s.")
    reset_sequences()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the seeder loads with COPY.")
    call_command("migrate", verbosity=0)
    present = Case.objects.count()
    if arguments.reuse and present >= arguments.cases:
        print(f"Reusing {present:,} cases and {Article.objects.count():,} articles.")
        return
    seed(arguments.cases, arguments.articles)


if __name__ == "__main__":
    main()
