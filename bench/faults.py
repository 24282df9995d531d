"""Fault drill: crash the pieces of a running tierdesk and check that nothing acknowledged is lost.

Runs against a throw-away PostgreSQL cluster of its own (initdb into a temporary folder, a free
port), never against the machine's shared server, and removes it at the end, also on Ctrl-C.
Steps, each printed with what it tried, its counts and PASS or FAIL:

1. Case creations through POST /api/v1/cases from several threads against
   `tierdesk serve --workers 3`; one gunicorn worker (not the master) gets SIGKILL mid-load.
   Every case answered with 201 must be in the database, complete: its creation event, its
   handling group, one open clock span, its outbox row.
2. The same load while PostgreSQL is stopped for 10 s: requests during the outage get 503
   (problem+json with code `service_unavailable` under /api/, an HTML page elsewhere) with
   Retry-After, none gets a 500 or hangs past a bound; the service recovers by itself and no
   acknowledged write is lost.
3. A `tierdesk worker` gets SIGKILL in the middle of the fan-out job (case events -> mail,
   webhooks, follow-ups); a new worker puts the abandoned job back on the queue and runs it:
   every event is planned, none twice.

    .venv/bin/python bench/faults.py [--threads 6] [--kill-after 60] [--outage 10]

Exits non-zero when a check fails. Environment: TIERDESK_FAULTS_DB (database name, default
tierdesk_faults), TIERDESK_FAULTS_PG_BIN (default /usr/lib/postgresql/15/bin).
"""

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIERDESK = str(ROOT / ".venv" / "bin" / "tierdesk")
PG_BIN = Path(os.environ.get("TIERDESK_FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
DB_NAME = os.environ.get("TIERDESK_FAULTS_DB", "tierdesk_faults")
# No request may take longer than this, database or not.
REQUEST_BOUND_SECONDS = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def say(text: str = "") -> None:
    print(text, flush=True)


class Verdicts:
    def __init__(self):
        self.failed: list[str] = []

    def check(self, ok: bool, what: str) -> bool:
        say(f"  {'PASS' if ok else 'FAIL'}  {what}")
        if not ok:
            self.failed.append(what)
        return ok


# --- the throw-away PostgreSQL cluster -----------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster in a temporary folder; as root, run as the `postgres` OS user."""

    def __init__(self, folder: Path):
        self.data = folder / "pgdata"
        self.sockets = folder / "pgsockets"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        for path in (self.data, self.sockets):
            path.mkdir()
        if self.as_postgres:
            folder.chmod(0o755)
            shutil.chown(self.data, "postgres")
            shutil.chown(self.sockets, "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres")

    def _run(self, program: str, *args: str, check: bool = True):
        command = [str(PG_BIN / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def create(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DB_NAME)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop", check=False
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"


# --- HTTP load ----------------------------------------------------------------------------------


@dataclass
class Answer:
    title: str
    kind: str  # "api" or "page"
    started: float
    seconds: float
    status: int | None  # None: no answer (connection reset, timeout)
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    error: str = ""

    def json(self) -> dict:
        try:
            return json.loads(self.body)
        except ValueError:
            return {}


class Load:
    """Threads posting cases (and, optionally, one thread reading a page) until stopped."""

    def __init__(
        self,
        *,
        port: int,
        tokens: list[str],
        payloads: list[dict],
        prefix: str,
        threads: int,
        session_cookie: str = "",
    ):
        self.port, self.tokens, self.payloads, self.prefix = port, tokens, payloads, prefix
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._post_cases, args=(n,), daemon=True)
            for n in range(threads)
        ]
        if session_cookie:
            self.threads.append(
                threading.Thread(target=self._read_page, args=(session_cookie,), daemon=True)
            )

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(REQUEST_BOUND_SECONDS + 10)

    def _request(self, method, path, *, body=None, headers, title, kind) -> Answer:
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=REQUEST_BOUND_SECONDS + 5
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(
                title,
                kind,
                started,
                time.monotonic() - started,
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        except (OSError, http.client.HTTPException) as error:
            answer = Answer(
                title,
                kind,
                started,
                time.monotonic() - started,
                None,
                error=f"{type(error).__name__}: {error}",
            )
        finally:
            connection.close()
        with self.lock:
            self.answers.append(answer)
        return answer

    def _post_cases(self, thread: int) -> None:
        number = 0
        while not self.stopping.is_set():
            title = f"{self.prefix}-{thread}-{number}"
            payload = {**self.payloads[thread % len(self.payloads)], "title": title}
            token = self.tokens[thread % len(self.tokens)]
            self._request(
                "POST",
                "/api/v1/cases",
                body=json.dumps(payload),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                title=title,
                kind="api",
            )
            number += 1

    def _read_page(self, cookie: str) -> None:
        while not self.stopping.is_set():
            self._request("GET", "/", headers={"Cookie": cookie}, title="", kind="page")
            self.stopping.wait(0.2)

    def acknowledged(self) -> dict[str, int]:
        """Title -> case id of every case the server answered 201 for."""
        with self.lock:
            return {a.title: a.json().get("id") for a in self.answers if a.status == 201}

    def count(self, status=201) -> int:
        with self.lock:
            return sum(1 for a in self.answers if a.status == status)


def wait_until(condition, *, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# --- the drill ----------------------------------------------------------------------------------


class Drill:
    def __init__(self, args, folder: Path, cluster: Cluster):
        self.args = args
        self.folder = folder
        self.cluster = cluster
        self.verdicts = Verdicts()
        self.processes: list[subprocess.Popen] = []
        self.web_port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "TIERDESK_DATA_DIR": str(folder / "data"),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "tierdesk.config.settings",
        }
        self.env.pop("EMAIL_HOST", None)
        self.acknowledged: dict[str, int] = {}

    # processes

    def spawn(self, *args: str, log: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [TIERDESK, *args],
            env=self.env,
            cwd=ROOT,
            stdout=open(self.folder / log, "ab"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop_processes(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def web_workers(self, master: int) -> list[int]:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]

    # set-up

    def prepare(self) -> None:
        os.environ.update(self.env)
        sys.path.insert(0, str(ROOT))
        started = time.monotonic()
        subprocess.run([TIERDESK, "migrate", "-v0"], env=self.env, cwd=ROOT, check=True)
        import django

        django.setup()
        from tierdesk.organization.demo import load_demo

        # The demo organization (regions, people, customers, sites, products) without the
        # demo cases: the drill makes its own.
        load_demo()
        say(
            f"set-up: cluster on port {self.cluster.port}, database {DB_NAME} migrated, demo "
            f"organization loaded in {time.monotonic() - started:.1f} s"
        )
        self.tokens, self.payloads = self.personas()
        self.session_cookie = self.session()
        self.server = self.spawn(
            "serve",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{self.web_port}",
            "--pid",
            str(self.folder / "gunicorn.pid"),
            log="serve.log",
        )
        up = wait_until(self.answers_http, seconds=300, step=0.5)
        say(
            f"set-up: tierdesk serve --workers 3 on port {self.web_port} "
            f"({'up' if up else 'NOT UP'}); {len(self.tokens)} API tokens"
        )
        if not up:
            raise SystemExit("the web server did not start; see serve.log")

    def answers_http(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=30)
            connection.request("GET", "/api/v1/errors/not-found")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def personas(self) -> tuple[list[str], list[dict]]:
        from django.utils import timezone

        from tierdesk.api.tokens import create_token
        from tierdesk.cases.enums import Priority, Source
        from tierdesk.organization import permissions
        from tierdesk.organization.models import Product, Site, User

        tokens, payloads = [], []
        product = Product.objects.filter(is_active=True).order_by("pk").first()
        for user in User.objects.filter(is_active=True).order_by("username"):
            if not permissions.is_line1(user) or user.region_id is None:
                continue
            site = Site.objects.filter(region_id=user.region_id).order_by("pk").first()
            if site is None:
                continue
            _token, secret = create_token(user=user, name="fault drill", now=timezone.now())
            tokens.append(secret)
            payloads.append(
                {
                    "description": "Fault drill: the FSU at the site stopped reporting.",
                    "customer_id": site.customer_id,
                    "site_id": site.pk,
                    "product_id": product.pk,
                    "source": Source.CUSTOMER.value,
                    "priority": Priority.P3.value,
                }
            )
            if len(tokens) == 4:
                break
        return tokens, payloads

    def session(self) -> str:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from tierdesk.organization.models import User

        user = User.objects.filter(is_active=True, is_superuser=False).order_by("pk").first()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    # checks on the database

    def check_cases_complete(self, acknowledged: dict[str, int], what: str) -> None:
        from django.db import close_old_connections
        from django.db.models import Count, Q

        from tierdesk.cases.enums import EventKind
        from tierdesk.cases.models import Case, EventOutbox

        close_old_connections()
        ids = [pk for pk in acknowledged.values() if pk]
        cases = (
            Case.objects.filter(pk__in=ids)
            .annotate(
                created=Count("events", filter=Q(events__kind=EventKind.CREATED), distinct=True),
                groups=Count("participations", distinct=True),
                open_spans=Count(
                    "clock_spans", filter=Q(clock_spans__ended_at=None), distinct=True
                ),
            )
            .values("pk", "title", "created", "groups", "open_spans")
        )
        found = {row["pk"]: row for row in cases}
        missing = [pk for pk in ids if pk not in found]
        wrong_title = [
            pk for title, pk in acknowledged.items() if pk in found and found[pk]["title"] != title
        ]
        incomplete = [
            pk
            for pk, row in found.items()
            if (row["created"], row["open_spans"]) != (1, 1) or row["groups"] < 1
        ]
        created_events = Case.objects.filter(pk__in=ids).values_list("events__pk", flat=True)
        with_outbox = EventOutbox.objects.filter(event_id__in=created_events).count()
        self.verdicts.check(
            len(ids) == len(acknowledged) and not missing and not wrong_title,
            f"{what}: {len(acknowledged)} cases answered 201, {len(found)} found in the "
            f"database, {len(missing)} missing, {len(wrong_title)} with another title",
        )
        self.verdicts.check(
            not incomplete,
            f"{what}: each has 1 creation event, 1 open clock span, its handling group "
            f"({len(incomplete)} incomplete); {with_outbox} outbox rows waiting for the fan-out",
        )

    def saved_without_answer(self, load: Load) -> tuple[int, int]:
        from django.db import close_old_connections

        from tierdesk.cases.models import Case

        close_old_connections()
        unanswered = [a.title for a in load.answers if a.kind == "api" and a.status is None]
        saved = Case.objects.filter(title__in=unanswered).count()
        return len(unanswered), saved

    # step 1

    def kill_web_worker(self) -> None:
        say("\n1. SIGKILL one of the 3 gunicorn workers during case creations")
        master = self.server.pid
        with Load(
            port=self.web_port,
            tokens=self.tokens,
            payloads=self.payloads,
            prefix="kill-web",
            threads=self.args.threads,
        ) as load:
            wait_until(lambda: load.count() >= self.args.kill_after, seconds=120)
            before = self.web_workers(master)
            victim = before[0]
            os.kill(victim, signal.SIGKILL)
            killed_at = load.count()
            say(
                f"  tried: {self.args.threads} threads posting cases; after {killed_at} "
                f"created, SIGKILL to worker {victim} (master {master}, workers {before})"
            )
            wait_until(lambda: load.count() >= 2 * killed_at, seconds=120)
        after = self.web_workers(master)
        statuses = Counter(a.status for a in load.answers)
        unanswered, saved = self.saved_without_answer(load)
        say(
            f"  answers: {dict(statuses)}; without an answer: {unanswered} "
            f"(of those saved anyway: {saved})"
        )
        self.verdicts.check(
            victim not in after and len(after) == 3,
            f"the master replaced the killed worker: workers now {after}",
        )
        self.verdicts.check(
            set(statuses) <= {201, None},
            "every request answered 201, or lost with the killed worker's connection",
        )
        acknowledged = load.acknowledged()
        self.acknowledged.update(acknowledged)
        self.check_cases_complete(acknowledged, "after the kill")

    # step 2

    def stop_database(self) -> None:
        outage = self.args.outage
        say(f"\n2. Stop PostgreSQL for {outage:.0f} s during case creations and page views")
        with Load(
            port=self.web_port,
            tokens=self.tokens,
            payloads=self.payloads,
            prefix="outage",
            threads=self.args.threads,
            session_cookie=self.session_cookie,
        ) as load:
            wait_until(lambda: load.count() >= 20, seconds=60)
            stopped_at = time.monotonic()
            try:
                self.cluster.stop()
                say(
                    f"  tried: pg_ctl stop -m fast after {load.count()} created; "
                    f"stopped in {time.monotonic() - stopped_at:.1f} s"
                )
                time.sleep(max(0.0, outage - (time.monotonic() - stopped_at)))
            finally:
                self.cluster.start()
            started_at = time.monotonic()
            say(f"  PostgreSQL down for {started_at - stopped_at:.1f} s, started again")
            created_before = load.count()
            recovered = wait_until(lambda: load.count() >= created_before + 20, seconds=60)
            first_after = min(
                (
                    a.started + a.seconds
                    for a in load.answers
                    if a.status == 201 and a.started >= started_at
                ),
                default=None,
            )
            time.sleep(2)
        answers = load.answers
        during = [
            a for a in answers if a.started + a.seconds >= stopped_at and a.started <= started_at
        ]
        api_503 = [a for a in answers if a.status == 503 and a.kind == "api"]
        page_503 = [a for a in answers if a.status == 503 and a.kind == "page"]
        by_kind = Counter((a.kind, a.status) for a in during)
        say(
            "  answers while the database was away: "
            + ", ".join(
                f"{kind} {status}: {count}"
                for (kind, status), count in sorted(
                    by_kind.items(), key=lambda item: (item[0][0], str(item[0][1]))
                )
            )
        )
        slowest = max((a.seconds for a in answers), default=0)
        say(f"  all answers: {dict(Counter(a.status for a in answers))}; slowest {slowest:.2f} s")
        self.verdicts.check(
            bool(api_503) and bool(page_503),
            f"requests during the outage got 503 (API {len(api_503)}, pages {len(page_503)})",
        )
        bad = [a for a in answers if a.status not in (200, 201, 503)]
        self.verdicts.check(
            not bad,
            f"no 500, no other error, no dropped connection ({len(bad)}: "
            f"{Counter((a.status, a.error[:60]) for a in bad).most_common(3)})",
        )
        good_problems = [
            a
            for a in api_503
            if a.headers.get("content-type", "").startswith("application/problem+json")
            and a.json().get("code") == "service_unavailable"
            and a.headers.get("retry-after")
        ]
        good_pages = [
            a
            for a in page_503
            if a.headers.get("content-type", "").startswith("text/html")
            and a.headers.get("retry-after")
            and b"<h1" in a.body
        ]
        self.verdicts.check(
            len(good_problems) == len(api_503) and len(good_pages) == len(page_503),
            "each 503 is problem+json code service_unavailable (API) or the HTML page, with "
            "Retry-After",
        )
        if api_503:
            say(f"  e.g. {api_503[0].body.decode()[:200]}")
        self.verdicts.check(
            slowest <= REQUEST_BOUND_SECONDS,
            f"no request took longer than {REQUEST_BOUND_SECONDS:.0f} s",
        )
        self.verdicts.check(
            recovered and first_after is not None,
            "the service recovered by itself: first case created "
            + (
                f"{first_after - started_at:.1f} s after PostgreSQL was back"
                if first_after
                else "never"
            ),
        )
        acknowledged = load.acknowledged()
        self.acknowledged.update(acknowledged)
        self.check_cases_complete(acknowledged, "around the outage")
        self.check_cases_complete(self.acknowledged, "all steps so far")

    # step 3

    def kill_job_worker(self) -> None:
        from django.db import close_old_connections
        from django.db.models import Count
        from django.tasks import TaskResultStatus
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from tierdesk.cases.enums import EventKind
        from tierdesk.cases.models import EventOutbox
        from tierdesk.followups.models import FollowUp
        from tierdesk.jobs import tasks
        from tierdesk.notifications.models import Notification
        from tierdesk.organization.models import User
        from tierdesk.webhooks.models import EventType, WebhookDelivery, WebhookSubscription

        say("\n3. SIGKILL a `tierdesk worker` in the middle of the fan-out job")
        close_old_connections()
        # A receiver of every case creation: each event must give it exactly one delivery.
        receiver = WebhookSubscription.objects.create(
            name="fault drill",
            target_url="http://127.0.0.1:9/never-sent",
            event_types=[EventType.CREATED],
            created_by=User.objects.filter(is_superuser=True).first(),
            created_at=timezone.now(),
            updated_at=timezone.now(),
        )
        waiting = EventOutbox.objects.count()
        created_events = EventOutbox.objects.filter(event__kind=EventKind.CREATED).count()
        job = DBTaskResult.objects.get(pk=tasks.fan_out_events.enqueue().id)
        first = self.spawn(
            "worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            "faults-worker-1",
            log="worker-1.log",
        )

        def half_done() -> bool:
            close_old_connections()
            return EventOutbox.objects.count() <= waiting * 0.7

        killed = wait_until(half_done, seconds=300, step=0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        job.refresh_from_db()
        left = EventOutbox.objects.count()
        planned_before = WebhookDelivery.objects.filter(subscription=receiver).count()
        say(
            f"  tried: {waiting} case events waiting ({created_events} creations) and a "
            f"webhook subscription to case.created; SIGKILL to worker {first.pid} after "
            f"{waiting - left} events were fanned out; job {job.status}, {planned_before} "
            "deliveries planned so far"
        )
        self.verdicts.check(
            killed and job.status == TaskResultStatus.RUNNING and 0 < left < waiting,
            f"the worker died mid-job ({left} events left, job left {job.status})",
        )
        second = self.spawn(
            "worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            "faults-worker-2",
            log="worker-2.log",
        )

        def finished() -> bool:
            job.refresh_from_db()
            return job.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)

        wait_until(finished, seconds=300, step=0.2)
        close_old_connections()
        left = EventOutbox.objects.count()
        self.verdicts.check(
            job.status == TaskResultStatus.SUCCESSFUL
            and job.worker_ids == ["faults-worker-1", "faults-worker-2"],
            f"the abandoned job ran again: {job.status}, claimed by {job.worker_ids}",
        )
        twice = {
            "mails": Notification.objects.values("event", "recipient", "kind")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count(),
            "webhook deliveries": WebhookDelivery.objects.values("subscription", "event")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count(),
            "follow-ups": FollowUp.objects.values("case")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count(),
        }
        say(
            f"  after the re-run: {left} events waiting, {Notification.objects.count()} mails "
            f"planned, {WebhookDelivery.objects.count()} webhook deliveries"
        )
        delivered_to_receiver = WebhookDelivery.objects.filter(subscription=receiver).count()
        self.verdicts.check(
            left == 0 and not any(twice.values()) and delivered_to_receiver == created_events,
            f"every event planned, none twice: {delivered_to_receiver} deliveries for "
            f"{created_events} creations (duplicates: {twice})",
        )
        second.terminate()
        second.wait(30)

    def run(self) -> None:
        self.prepare()
        self.kill_web_worker()
        self.stop_database()
        self.kill_job_worker()


def show_logs(folder: Path) -> None:
    for log in sorted(folder.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()[-15:]
        say(f"--- last lines of {log.name}")
        for line in lines:
            say(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=6, help="client threads (default 6)")
    parser.add_argument(
        "--kill-after",
        type=int,
        default=60,
        help="cases created before a web worker is killed (default 60)",
    )
    parser.add_argument(
        "--outage", type=float, default=10.0, help="seconds PostgreSQL stays stopped (default 10)"
    )
    args = parser.parse_args()
    if not (PG_BIN / "initdb").exists():
        say(f"no PostgreSQL programs in {PG_BIN}: set TIERDESK_FAULTS_PG_BIN")
        return 2
    # SIGTERM cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    folder = Path(tempfile.mkdtemp(prefix="tierdesk-faults-"))
    cluster = drill = None
    started = time.monotonic()
    try:
        cluster = Cluster(folder)
        cluster.create()
        drill = Drill(args, folder, cluster)
        drill.run()
    finally:
        if drill is not None:
            drill.stop_processes()
        if cluster is not None:
            cluster.stop()
        if drill is None or drill.verdicts.failed or sys.exc_info()[0] is not None:
            show_logs(folder)
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
    failed = drill.verdicts.failed
    say(
        f"\n{'FAIL' if failed else 'PASS'}: {len(failed)} check(s) failed "
        f"in {time.monotonic() - started:.0f} s"
    )
    for what in failed:
        say(f"  - {what}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
