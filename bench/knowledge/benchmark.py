"""Quality and speed of the knowledge-base search on the labelled set in this folder.

Loads articles.jsonl into a fresh database through the real services (create, submit,
approve), runs every query of queries.jsonl through the real search as a field engineer sees
it, and through a plain character-bigram substring ranking, and prints recall@1, recall@5
and MRR per kind of query for both, and how often a query no article answers still gets a
confident answer. With --scale N it then adds generated variations of the articles up to N
(bulk rows; index rows written by put_documents, put_document's bulk form), prints the seeding rate, and times
the search (p50/p95/p99) and the suggestions for a case being written.

    .venv/bin/python bench/knowledge/benchmark.py [--scale 100000]

SQLite in a temporary file by default; for PostgreSQL give an empty database:

    createdb -h 127.0.0.1 -U postgres tierdesk_bench_kb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_bench_kb \\
        .venv/bin/python bench/knowledge/benchmark.py --scale 100000
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")
if not os.environ.get("DATABASE_URL"):
    _sqlite_dir = tempfile.mkdtemp(prefix="tierdesk-bench-kb-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_sqlite_dir}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tierdesk.knowledge import access, search, services  # noqa: E402
from tierdesk.knowledge.models import (  # noqa: E402
    Article,
    ArticleAction,
    ArticleState,
    ArticleVersion,
)
from tierdesk.organization.models import (  # noqa: E402
    Department,
    DepartmentFunction,
    Product,
    ProductCategory,
    Region,
    Role,
    RoleCode,
    User,
)

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
DEPTH = 50  # results looked at per query, as the search page shows
KIND_ORDER = [
    "short",
    "long",
    "mixed",
    "synonym",
    "colloquial",
    "code",
    "homophone",
    "detail",
]
PRODUCT_CATEGORY = {"power": ProductCategory.POWER_ENVIRONMENT, "video": ProductCategory.VIDEO}
CHUNK = 2000


def load(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


# --- the database -----------------------------------------------------------------------------


def people():
    def role(code):
        return Role.objects.get_or_create(code=code)[0]

    east, _ = Region.objects.get_or_create(code="east", defaults={"name": "华东大区"})
    service, _ = Department.objects.get_or_create(
        code="engineering-service",
        defaults={"name": "工程服务部", "function": DepartmentFunction.ENGINEERING_SERVICE},
    )
    author, _ = User.objects.get_or_create(
        username="bench-author", defaults={"region": east, "last_name": "李"}
    )
    author.roles.add(role(RoleCode.REGIONAL_SUPPORT))
    reviewer, _ = User.objects.get_or_create(
        username="bench-reviewer", defaults={"department": service, "last_name": "陈"}
    )
    reviewer.roles.add(role(RoleCode.LINE2_ENGINEER))
    reader, _ = User.objects.get_or_create(
        username="bench-reader", defaults={"region": east, "last_name": "王"}
    )
    reader.roles.add(role(RoleCode.FIELD_ENGINEER))
    return author, reviewer, reader


def products() -> dict[str, Product]:
    from make_set import PRODUCTS

    result = {}
    for code, (name, family) in PRODUCTS.items():
        result[code], _ = Product.objects.get_or_create(
            code=f"bench-{code}",
            defaults={
                "name": name,
                "category": PRODUCT_CATEGORY.get(family, ProductCategory.OTHER),
            },
        )
    return result


def article_fields(item: dict, product_by_code: dict) -> dict:
    return {
        "title": item["title"],
        "symptom": item["symptom"],
        "cause": item["cause"],
        "solution": item["solution"],
        "product": product_by_code[item["product"]],
        "product_versions": item["product_versions"],
        "tags": item["tags"],
        "category": item["category"],
    }


def load_labelled(items, author, reviewer, product_by_code) -> dict[int, int]:
    """Publishes every labelled article the way people do; returns set id → article pk."""
    pk_of = {}
    for item in items:
        article = services.create_article(
            by=author, now=NOW, **article_fields(item, product_by_code)
        )
        services.act(article, action=ArticleAction.SUBMIT, by=author, now=NOW)
        services.act(article, action=ArticleAction.APPROVE, by=reviewer, now=NOW)
        pk_of[item["id"]] = article.pk
    return pk_of


# --- the baseline -----------------------------------------------------------------------------

PUNCTUATION = re.compile(r"[\s\W_]+")


def bigrams(text: str) -> set[str]:
    compact = PUNCTUATION.sub("", text.lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


class BigramBaseline:
    """Score = the query's character bigrams found in the article, those in the title twice."""

    def __init__(self, items):
        self.docs = [
            (
                item["id"],
                PUNCTUATION.sub("", item["title"].lower()),
                PUNCTUATION.sub(
                    "",
                    " ".join(
                        item[name]
                        for name in ("symptom", "cause", "solution", "product_versions", "tags")
                    ).lower(),
                ),
            )
            for item in items
        ]

    def ranked(self, query: str) -> list[int]:
        wanted = bigrams(query)
        scored = []
        for pk, title, body in self.docs:
            score = sum(2 * (gram in title) + (gram in body) for gram in wanted)
            if score:
                scored.append((-score, pk))
        return [pk for _score, pk in sorted(scored)[:DEPTH]]


# --- measuring --------------------------------------------------------------------------------


def rank_of_first(ranked: list[int], expected: set[int]) -> int | None:
    for position, pk in enumerate(ranked, start=1):
        if pk in expected:
            return position
    return None


def figures(ranks: list[int | None]) -> tuple[int, float, float, float]:
    n = len(ranks)
    if not n:
        return 0, 0.0, 0.0, 0.0
    at1 = sum(1 for r in ranks if r == 1) / n
    at5 = sum(1 for r in ranks if r is not None and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r is not None) / n
    return n, at1, at5, mrr


def quality(queries, items, pk_of, reader, *, show_misses: bool):
    only_labelled = Article.objects.count() > len(pk_of)
    set_id_of = {pk: set_id for set_id, pk in pk_of.items()}
    baseline = BigramBaseline(items)
    ours, theirs = defaultdict(list), defaultdict(list)
    confident_unanswerable, unsure_answerable, answerable = 0, 0, 0
    misses = []
    for query in queries:
        candidates = access.articles_visible_to(reader)
        if only_labelled:  # a reused database also holds the generated articles
            candidates = candidates.filter(pk__in=list(pk_of.values()))
        results = search.search(search.ARTICLES, candidates, query["query"], limit=DEPTH)
        confident = search.is_confident(results)
        if query["kind"] == "none":
            confident_unanswerable += confident
            continue
        answerable += 1
        unsure_answerable += not confident
        expected = set(query["expected"])
        ranked = [set_id_of[article.pk] for article in results]
        ours[query["kind"]].append(rank_of_first(ranked, expected))
        theirs[query["kind"]].append(rank_of_first(baseline.ranked(query["query"]), expected))
        if show_misses and ours[query["kind"]][-1] != 1:
            misses.append((query, ours[query["kind"]][-1], ranked[:5]))
    print_quality(ours, theirs)
    unanswerable = sum(1 for q in queries if q["kind"] == "none")
    print(
        f"\nunanswerable queries with a confident answer: {confident_unanswerable}/"
        f"{unanswerable} = {confident_unanswerable / max(unanswerable, 1):.3f}"
        f"\nanswerable queries without a confident answer: {unsure_answerable}/{answerable}"
        f" = {unsure_answerable / max(answerable, 1):.3f}"
    )
    for query, rank, top in misses:
        print(f"  miss {query['kind']:<10} rank={rank} {query['query']} top={top}")


def print_quality(ours, theirs):
    print(
        f"\n{'kind':<11}{'n':>4}  {'search R@1':>10} {'R@5':>6} {'MRR':>6}"
        f"   {'bigram R@1':>10} {'R@5':>6} {'MRR':>6}"
    )
    kinds = [kind for kind in KIND_ORDER if kind in ours] + sorted(set(ours) - set(KIND_ORDER))
    rows = [(kind, ours[kind], theirs[kind]) for kind in kinds]
    rows.append(
        (
            "overall",
            [r for kind in kinds for r in ours[kind]],
            [r for kind in kinds for r in theirs[kind]],
        )
    )
    for kind, mine, base in rows:
        n, a1, a5, mrr = figures(mine)
        _n, b1, b5, bmrr = figures(base)
        print(
            f"{kind:<11}{n:>4}  {a1:>10.3f} {a5:>6.3f} {mrr:>6.3f}"
            f"   {b1:>10.3f} {b5:>6.3f} {bmrr:>6.3f}"
        )


# --- scale ------------------------------------------------------------------------------------

MAKERS = ["华为", "中兴", "海康", "大华", "宇视", "华三", "锐捷", "科华", "艾默生", "天地伟业"]
SITES = ["基站", "机房", "营业厅", "变电站", "收费站", "园区", "仓库", "隧道", "医院", "学校"]
CITIES = ["杭州", "南京", "合肥", "福州", "济南", "郑州", "长沙", "成都", "西安", "沈阳"]
REMARKS = [
    "现场已拍照上传。",
    "客户要求当天处理完毕。",
    "同批次设备均有此现象。",
    "夜间巡检时发现。",
    "处理后观察 24 小时无复发。",
    "已同步给区域技术支持。",
]


def variation(item: dict, rng: random.Random, n: int) -> dict:
    """Another article in the same family: other maker, site and version, extra remarks."""
    maker = rng.choice(MAKERS)
    version = f"V{rng.randint(1, 4)}.{rng.randint(0, 9)}"
    title = re.sub(r"^【[^】]+】", f"【{maker}】", item["title"])
    title = re.sub(r"V\d\.\d", version, title)
    place = f"{rng.choice(CITIES)}{rng.choice(SITES)}{n % 97}号"
    return {
        **item,
        "title": title,
        "symptom": f"{place}：" + item["symptom"] + rng.choice(REMARKS),
        "solution": item["solution"] + rng.choice(REMARKS),
        "product_versions": version,
        "tags": ",".join([maker, version]),
    }


def seed_scale(items, target: int, author, reviewer, product_by_code) -> None:
    existing = Article.objects.count()
    missing = target - existing
    if missing <= 0:
        return
    rng = random.Random(7)
    started = time.perf_counter()
    made = 0
    while made < missing:
        size = min(CHUNK, missing - made)
        batch = [variation(rng.choice(items), rng, made + i) for i in range(size)]
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                [
                    Article(
                        **article_fields(item, product_by_code),
                        author=author,
                        reviewer=reviewer,
                        state=ArticleState.PUBLISHED,
                        current_version=1,
                        published_version=1,
                        published_at=NOW,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                    for item in batch
                ]
            )
            ArticleVersion.objects.bulk_create(
                [
                    ArticleVersion(
                        article=article,
                        number=1,
                        author=author,
                        created_at=NOW,
                        **article_fields(item, product_by_code),
                    )
                    for article, item in zip(articles, batch, strict=True)
                ]
            )
            search.put_documents(
                search.ARTICLES,
                [
                    (
                        article.pk,
                        item["title"],
                        item["symptom"],
                        "\n".join(
                            [
                                item["cause"],
                                item["solution"],
                                item["tags"],
                                item["product_versions"],
                                str(product_by_code[item["product"]]),
                            ]
                        ),
                    )
                    for article, item in zip(articles, batch, strict=True)
                ],
            )
        made += size
        rate = made / (time.perf_counter() - started)
        print(f"\r  seeded {made}/{missing} articles ({rate:,.0f}/s)", end="", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\nseeded {missing} articles in {elapsed:.1f} s ({missing / elapsed:,.0f} articles/s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms   p99 {cuts[98]:6.1f} ms"


def timings(queries, reader, rounds: int) -> None:
    texts = [q["query"] for q in queries]
    # One untimed pass: the first query of a process loads the dictionary.
    search.search(search.ARTICLES, access.articles_visible_to(reader), texts[0])
    searched = []
    for _round in range(rounds):
        for text in texts:
            started = time.perf_counter()
            candidates = access.articles_visible_to(reader).select_related("product", "author")
            results = search.search(search.ARTICLES, candidates, text, limit=DEPTH)
            search.is_confident(results)
            searched.append(time.perf_counter() - started)
    print(f"search       ({len(searched)} queries): {percentiles(searched)}")
    suggestion_times = []
    try:
        from tierdesk.knowledge.suggestions import suggest
    except ImportError:
        suggest = None
    for _round in range(rounds):
        for query in queries:
            # The query as a case title, the description as a field engineer writes it.
            description = f"现场反馈：{query['query']}，请协助处理。"
            started = time.perf_counter()
            if suggest is not None:
                suggest(user=reader, title=query["query"], description=description)
            else:
                search.search(search.ARTICLES, access.articles_visible_to(reader), query["query"])
            suggestion_times.append(time.perf_counter() - started)
    label = "suggestions" if suggest else "search (no suggestions module)"
    print(f"{label} ({len(suggestion_times)} cases): {percentiles(suggestion_times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=0, help="articles in total for timing")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the queries")
    parser.add_argument("--misses", action="store_true", help="list queries not ranked first")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the articles a previous run left in DATABASE_URL (reindexing the labelled ones)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    call_command("migrate", verbosity=0)
    if Article.objects.exists() and not args.reuse:
        sys.exit("The database already holds articles; give the benchmark an empty one.")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    items, queries = load("articles.jsonl"), load("queries.jsonl")
    author, reviewer, reader = people()
    product_by_code = products()
    started = time.perf_counter()
    if args.reuse and Article.objects.exists():
        # The labelled articles are the first ones a previous run wrote, in the set's order.
        labelled = list(Article.objects.order_by("pk")[: len(items)])
        for article in labelled:
            services.index_article(article)
        pk_of = {item["id"]: article.pk for item, article in zip(items, labelled, strict=True)}
        done = "reindexed"
    else:
        pk_of = load_labelled(items, author, reviewer, product_by_code)
        done = "published through the services"
    print(
        f"labelled set: {len(items)} articles {done} in "
        f"{time.perf_counter() - started:.1f} s, {len(queries)} queries"
    )
    quality(queries, items, pk_of, reader, show_misses=args.misses)
    if args.scale:
        print(f"\nscaling to {args.scale} articles")
        seed_scale(items, args.scale, author, reviewer, product_by_code)
        print(f"articles: {Article.objects.count()}")
        timings(queries, reader, args.rounds)


if __name__ == "__main__":
    main()
