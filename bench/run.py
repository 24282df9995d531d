"""The benchmark suite: tierdesk on PostgreSQL behind gunicorn and nginx, driven by locust.

    make bench            # or: .venv/bin/python bench/run.py [options]

Steps: create the database (BENCH_DATABASE_URL, default tierdesk_bench on the local server) if
missing, migrate and seed it (bench/seed.py, skipped when already seeded), collect the static
files, start `tierdesk serve` with N gunicorn workers behind an unprivileged nginx on loopback
(deploy/nginx/tierdesk.conf rendered into a temporary prefix), warm up, then run locust
headless with 8 users on each operation alone and twice on the trivial page (the framework's
ceiling, first and again before the last operation), and on the mix of roles; print per
operation the requests, req/s, p50/p95/p99, the ratio to the ceiling (the mean of its two runs)
and whether the issue's target is met.

The server runs with bench/ceiling_settings.py: tierdesk's settings plus the trivial page.
"""

import argparse
import contextlib
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
TIERDESK = ROOT / ".venv" / "bin" / "tierdesk"
LOCUST = Path(os.environ.get("BENCH_LOCUST", ROOT / ".venv-bench" / "bin" / "locust"))
NGINX = os.environ.get("BENCH_NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/tierdesk_bench"
USERS = 8

# operation, its kind, and the target for it
OPERATIONS = [
    ("queue list first page", "read"),
    ("queue list deep page", "read"),
    ("case detail", "read"),
    ("create", "write"),
    ("escalate", "write"),
    ("comment", "write"),
    ("knowledge search", "read"),
    ("report", "read"),
    # Last: at 1,000,000 cases a case search can hold a worker past gunicorn's timeout, and the
    # operations measured after it would pay for the restarted workers.
    ("case search", "read"),
]
P95_TARGET_MS = {"queue list first page": 50, "queue list deep page": 50, "case detail": 50}
CREATE_TARGET = 200  # per second
CEILING_SHARE = 0.40  # each read operation's share of the ceiling's throughput
CEILING_AGAIN = "ceiling, again"

MAIN_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site};
}}
"""


def say(message: str) -> None:
    print(message, flush=True)


def render_site(path: Path, *, port: int, upstream: str, static_root: Path) -> None:
    """deploy/nginx/tierdesk.conf with its variables filled, as envsubst would."""
    text = (ROOT / "deploy" / "nginx" / "tierdesk.conf").read_text()
    values = {
        "TIERDESK_LISTEN": f"127.0.0.1:{port}",
        "TIERDESK_SERVER_NAME": "127.0.0.1",
        "TIERDESK_UPSTREAM": f"server {upstream};",
        "TIERDESK_STATIC_ROOT": str(static_root),
    }
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    path.write_text(text)


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            say(f"Created database {name}.")


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.5)


def settle(url: str, seconds: float = 120) -> None:
    """Wait until the server answers the trivial page at once: the previous run's slow requests
    have drained, and no worker is being restarted."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
        except OSError:
            time.sleep(1)
            continue
        if time.monotonic() - started < 1.0:
            return
        time.sleep(1)


def make_plan(path: Path) -> None:
    """Sessions, tokens and work lists for the people locust plays."""
    import django

    django.setup()
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from tierdesk.api.tokens import create_token
    from tierdesk.cases.access import cases_visible_to
    from tierdesk.cases.models import Case
    from tierdesk.organization.models import Product, RoleCode, Site
    from tierdesk.reports.periods import Period

    User = get_user_model()
    now = timezone.now()
    top = Case.objects.order_by("-id").values_list("id", flat=True).first() or 1
    products = [{"id": p.pk, "name": p.name} for p in Product.objects.filter(is_active=True)]

    def person(user, queue_filters: list[str], escalate: list) -> dict:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        _token, raw = create_token(user=user, name="benchmark", now=now)
        visible = cases_visible_to(user)
        # Cases to open and comment on: recent ones this person sees, as people mostly work on.
        cases = list(visible.filter(id__gt=top - 200_000).order_by("-id").values_list("id")[:400])
        sites = Site.objects.filter(region=user.region) if user.region_id else Site.objects.all()
        return {
            "username": user.username,
            "session": session.session_key,
            "token": raw,
            "queue_filters": queue_filters,
            # The queue page after this id is deep in the list (half-way through the ids).
            "deep_after": top // 2,
            "cases": [pk for (pk,) in cases],
            "sites": [{"id": s.pk, "customer": s.customer_id} for s in sites[:20]],
            "products": products,
            "escalate": escalate,
        }

    def people_with(role: str):
        return User.objects.filter(roles__code=role, is_active=True).order_by("username")

    plan = {"people": {"field_engineer": [], "regional_support": [], "line2": [], "supervisor": []}}
    field = list(people_with(RoleCode.FIELD_ENGINEER))
    for user in field:
        # Each engineer escalates a share of their region's open line-1 cases, so no two
        # people race for the same case.
        peers = [u.pk for u in field if u.region_id == user.region_id]
        mine = (
            Case.objects.filter(region_id=user.region_id, status="field")
            .order_by("-id")
            .values_list("id", "version")[:4000]
        )
        share = [list(row) for i, row in enumerate(mine) if i % len(peers) == peers.index(user.pk)]
        plan["people"]["field_engineer"].append(
            person(user, ["view=region&priority=P3", "view=mine", "view=all&status=field"], share)
        )
    for user in people_with(RoleCode.REGIONAL_SUPPORT):
        plan["people"]["regional_support"].append(
            person(user, ["view=region", "view=region&priority=P2", "view=group"], [])
        )
    for user in people_with(RoleCode.LINE2_ENGINEER):
        plan["people"]["line2"].append(
            person(user, ["view=group", "view=all&status=line2", "view=all&priority=P1"], [])
        )
    for user in people_with(RoleCode.SUPERVISOR):
        plan["people"]["supervisor"].append(
            person(user, ["view=all", "view=breached", "view=all&status=closed&priority=P2"], [])
        )
    quarter = Period.parse(f"{now.year}-Q{(now.month - 1) // 3 + 1}")
    regions = sorted({u.region.code for u in field})
    plan["reports"] = [f"/reports/{code}/{quarter.key}/" for code in regions]
    path.write_text(json.dumps(plan, ensure_ascii=False))


def locust(
    base: str,
    plan: Path,
    out: Path,
    name: str,
    seconds: int,
    classes: list[str],
    env: dict,
    escalation_round: int,
    files: str = "",
):
    """One headless locust run; return its per-request-name statistics. Its statistics and log
    are written to `out` under `files` (by default the operation's name)."""
    files = files or name
    command = [
        str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", base,
        "-u", str(USERS), "-r", str(USERS), "-t", f"{seconds}s", "--csv", str(out / files),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5", *classes,
    ]  # fmt: skip
    environment = {**env, "BENCH_PLAN": str(plan), "BENCH_ROUND": str(escalation_round)}
    if name != "mix":
        environment["BENCH_OPERATION"] = name
    with open(out / f"{files}.log", "w", encoding="utf-8") as log:
        subprocess.run(command, env=environment, check=False, stdout=log, stderr=log)
    rows = {}
    with open(out / f"{files}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] != "Aggregated":
                rows[row["Name"]] = row
    return rows


def figures(row: dict) -> dict:
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"] or 0),
        "p95": float(row["95%"] or 0),
        "p99": float(row["99%"] or 0),
    }


def verdict(name: str, kind: str, result: dict, ceiling: float) -> str:
    checks = []
    if name in P95_TARGET_MS:
        checks.append(result["p95"] < P95_TARGET_MS[name])
    if name == "create":
        checks.append(result["rps"] >= CREATE_TARGET)
    if kind == "read":
        checks.append(ceiling > 0 and result["rps"] >= CEILING_SHARE * ceiling)
    if result["failures"]:
        checks.append(False)
    if not checks:
        return "—"
    return "yes" if all(checks) else "NO"


def print_table(title: str, results: dict, ceiling: float, kinds: dict) -> None:
    say(f"\n{title}")
    header = (
        f"{'operation':<24}{'requests':>9}{'fail':>6}{'req/s':>9}{'p50 ms':>8}"
        f"{'p95 ms':>8}{'p99 ms':>8}{'÷ceiling':>10}  target met?"
    )
    say(header)
    say("-" * len(header))
    for name, result in results.items():
        ratio = f"{result['rps'] / ceiling:.0%}" if ceiling else "—"
        say(
            f"{name:<24}{result['requests']:>9}{result['failures']:>6}{result['rps']:>9.1f}"
            f"{result['p50']:>8.0f}{result['p95']:>8.0f}{result['p99']:>8.0f}{ratio:>10}  "
            f"{verdict(name, kinds.get(name, ''), result, ceiling)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 1_000_000)))
    parser.add_argument(
        "--articles", type=int, default=int(os.environ.get("BENCH_ARTICLES", 100_000))
    )
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 20)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 5)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8780)))
    parser.add_argument("--no-mix", action="store_true", help="skip the mix of roles")
    parser.add_argument("--keep", action="store_true", help="keep the logs and statistics")
    arguments = parser.parse_args()
    for tool in (LOCUST, Path(NGINX)):
        if not tool.exists():
            sys.exit(f"bench: {tool} is missing (make bench installs locust and nginx-light)")

    database = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    work = Path(tempfile.mkdtemp(prefix="tierdesk-bench-"))
    work.chmod(0o755)  # nginx's workers read the static files under it
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "bench.ceiling_settings",
        "PYTHONPATH": str(ROOT),
        "TIERDESK_DATA_DIR": str(work / "data"),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "STATIC_MANIFEST": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "TIERDESK_PROXY_COUNT": "1",
    }
    (work / "data").mkdir()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    say(f"Database {database.rsplit('/', 1)[1]}; working files in {work}")
    ensure_database(database)
    subprocess.run(
        [PYTHON, ROOT / "bench" / "seed.py", "--cases", str(arguments.cases), "--articles",
         str(arguments.articles), "--reuse"],
        env=env, check=True,
    )  # fmt: skip
    subprocess.run(
        [TIERDESK, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
    )
    plan = work / "plan.json"
    make_plan(plan)

    upstream_port = arguments.port + 1
    server_log = open(work / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(
        [TIERDESK, "serve", "--bind", f"127.0.0.1:{upstream_port}", "--workers",
         str(arguments.workers)],
        env=env, cwd=ROOT, start_new_session=True, stdout=server_log, stderr=server_log,
    )  # fmt: skip
    prefix = work / "nginx"
    prefix.mkdir()
    render_site(
        prefix / "tierdesk.conf",
        port=arguments.port,
        upstream=f"127.0.0.1:{upstream_port}",
        static_root=work / "data" / "static",
    )
    (prefix / "nginx.conf").write_text(
        MAIN_CONF.format(
            prefix=prefix, mime_types="/etc/nginx/mime.types", site=prefix / "tierdesk.conf"
        )
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{arguments.port}"
    try:
        wait_for(f"{base}/accounts/login/")
        say(f"Serving on {base}: nginx → gunicorn with {arguments.workers} workers.")
        out = work / "locust"
        out.mkdir()
        say("Warming up (the mix, 15 s, not counted) ...")
        locust(base, plan, out, "mix", 15, ["FieldEngineer", "RegionalSupport", "Line2Engineer",
               "Supervisor"], env, 0)  # fmt: skip
        (out / "mix_stats.csv").unlink()
        results = {}
        kinds = dict(OPERATIONS)
        # The ceiling is measured first and again before the case search (the last operation,
        # see OPERATIONS): a shared machine's speed drifts over the minutes between, and each
        # operation is compared with the mean of the two.
        runs = [("ceiling", "ceiling"), *((name, name) for name in kinds)]
        runs.insert(-1, (CEILING_AGAIN, "ceiling"))
        for label, name in runs:
            settle(f"{base}/bench/ping/")
            say(f"  {label}: {USERS} users for {arguments.seconds} s")
            row = locust(
                base, plan, out, name, arguments.seconds, ["SingleOperation"], env, 1,
                files=label.replace(" ", "-").replace(",", ""),
            )  # fmt: skip
            results[label] = figures(row[name]) if name in row else figures_missing()
        ceiling = (results["ceiling"]["rps"] + results[CEILING_AGAIN]["rps"]) / 2
        load = os.getloadavg()
        print_table(
            f"Each operation alone, {USERS} concurrent users, {arguments.seconds} s "
            f"(load average at the end {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}; "
            f"÷ceiling is against the mean of the two ceiling runs, {ceiling:.1f} req/s):",
            results,
            ceiling,
            kinds,
        )
        if not arguments.no_mix:
            settle(f"{base}/bench/ping/")
            rows = locust(base, plan, out, "mix", arguments.seconds * 2, ["FieldEngineer",
                          "RegionalSupport", "Line2Engineer", "Supervisor"], env, 2)  # fmt: skip
            mixed = {name: figures(rows[name]) for name in kinds if name in rows}
            print_table(
                f"The mix of roles (3 field engineers, 2 regional support, 2 line 2, "
                f"1 supervisor), {arguments.seconds * 2} s:",
                mixed,
                0,
                {},
            )
            total = sum(r["rps"] for r in mixed.values())
            say(f"Mix total: {total:.1f} req/s")
        say(
            f"\nTargets: queue list and case detail p95 < 50 ms; create ≥ {CREATE_TARGET}/s; "
            f"each read ≥ {CEILING_SHARE:.0%} of the ceiling (the mean of its two runs, "
            f"{ceiling:.1f} req/s)."
        )
    finally:
        for process in (nginx, server):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in (nginx, server):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        server_log.close()
        if arguments.keep:
            say(f"Server log, locust logs and statistics kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def figures_missing() -> dict:
    return {"requests": 0, "failures": 0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0}


if __name__ == "__main__":
    main()
