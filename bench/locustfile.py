"""The load of the benchmark: tierdesk's people at work, or one operation at a time.

bench/run.py writes the plan (BENCH_PLAN, JSON): for each person a signed-in session cookie, an
API token, the cases and sites to work on. Two ways to run:

- the mix: FieldEngineer, RegionalSupport, Line2Engineer and Supervisor users (3, 2, 2, 1 of
  the 8), each doing what that role does most, with its realistic weight;
- one operation (BENCH_OPERATION=<name>, user class SingleOperation): every user repeats it, to
  measure its own throughput and latency against the framework's ceiling (`ceiling`).

Operation names are the request names in locust's statistics.
"""

import itertools
import json
import os
import random

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
QUERIES = ["离线", "告警", "FSU 离线", "串口采集失败", "蓄电池电压", "升级", "通信中断", "花屏"]
_next = {role: itertools.count() for role in PLAN["people"]}


class Person:
    """One planned person: their cookie, token, cases to open and cases to work on."""

    def __init__(self, role: str):
        people = PLAN["people"][role]
        self.plan = people[next(_next[role]) % len(people)]
        # Each locust run of a benchmark (warm-up, alone, mix) escalates its own third of the
        # cases: a case escalated by an earlier run would only answer 409.
        run = int(os.environ.get("BENCH_ROUND", "0"))
        self.escalations = list(self.plan["escalate"][run::3])
        self.rng = random.Random(self.plan["username"])

    @property
    def web(self) -> dict:
        return {"Cookie": f"sessionid={self.plan['session']}; django_language=zh-hans"}

    @property
    def api(self) -> dict:
        return {"Authorization": f"Bearer {self.plan['token']}"}


class Operations:
    """What each operation sends; `name` groups the requests in the statistics."""

    def __init__(self, client, person: Person):
        self.client, self.person = client, person
        self.plan, self.rng = person.plan, person.rng

    def queue_first(self):
        query = self.rng.choice(self.plan["queue_filters"])
        self.client.get(f"/cases/?{query}", headers=self.person.web, name="queue list first page")

    def queue_deep(self):
        query = self.rng.choice(self.plan["queue_filters"])
        self.client.get(
            f"/cases/?{query}&after={self.plan['deep_after']}",
            headers=self.person.web,
            name="queue list deep page",
        )

    def detail(self):
        case = self.rng.choice(self.plan["cases"])
        self.client.get(f"/cases/{case}/", headers=self.person.web, name="case detail")

    def create(self):
        site = self.rng.choice(self.plan["sites"])
        payload = {
            "title": f"{self.rng.choice(self.plan['products'])['name']}频繁离线",
            "description": "现场重启后仍然离线，已检查网线。",
            "customer_id": site["customer"],
            "site_id": site["id"],
            "product_id": self.rng.choice(self.plan["products"])["id"],
            "source": "customer",
            "channel": "api",
            "priority": self.rng.choice(["P2", "P3", "P3", "P4"]),
        }
        self.client.post("/api/v1/cases", json=payload, headers=self.person.api, name="create")

    def escalate(self):
        if not self.person.escalations:
            return
        case, version = self.person.escalations.pop()
        self.client.post(
            f"/api/v1/cases/{case}/actions/escalate",
            json={"version": version, "text": "现场已排查电源与网络，需区域支持。"},
            headers=self.person.api,
            name="escalate",
        )

    def comment(self):
        case = self.rng.choice(self.plan["cases"])
        self.client.post(
            f"/api/v1/cases/{case}/comments",
            json={"text": "已远程查看日志，等待现场反馈。", "internal": True},
            headers=self.person.api,
            name="comment",
        )

    def case_search(self):
        self.client.get(
            "/api/v1/knowledge/cases/search",
            params={"q": self.rng.choice(QUERIES)},
            headers=self.person.api,
            name="case search",
        )

    def knowledge_search(self):
        self.client.get(
            "/knowledge/search/",
            params={"q": self.rng.choice(QUERIES)},
            headers=self.person.web,
            name="knowledge search",
        )

    def report(self):
        self.client.get(self.rng.choice(PLAN["reports"]), headers=self.person.web, name="report")

    def ceiling(self):
        self.client.get("/bench/ping/", headers=self.person.web, name="ceiling")


# Which planned role performs an operation when it is measured on its own.
OPERATIONS = {
    "queue list first page": ("field_engineer", Operations.queue_first),
    "queue list deep page": ("field_engineer", Operations.queue_deep),
    "case detail": ("field_engineer", Operations.detail),
    "create": ("field_engineer", Operations.create),
    "escalate": ("field_engineer", Operations.escalate),
    "comment": ("regional_support", Operations.comment),
    "case search": ("line2", Operations.case_search),
    "knowledge search": ("field_engineer", Operations.knowledge_search),
    "report": ("supervisor", Operations.report),
    "ceiling": ("field_engineer", Operations.ceiling),
}


class RoleUser(FastHttpUser):
    abstract = True
    role = ""
    # No think time: the 8 users are 8 requests always in flight (the concurrency 8).
    wait_time = constant(0)

    def on_start(self):
        self.person = Person(self.role)
        self.ops = Operations(self.client, self.person)


class FieldEngineer(RoleUser):
    role, fixed_count = "field_engineer", 3

    @task(8)
    def queue(self):
        self.ops.queue_first()

    @task(1)
    def queue_deep(self):
        self.ops.queue_deep()

    @task(8)
    def detail(self):
        self.ops.detail()

    @task(3)
    def create(self):
        self.ops.create()

    @task(2)
    def escalate(self):
        self.ops.escalate()

    @task(3)
    def knowledge_search(self):
        self.ops.knowledge_search()


class RegionalSupport(RoleUser):
    role, fixed_count = "regional_support", 2

    @task(6)
    def queue(self):
        self.ops.queue_first()

    @task(1)
    def queue_deep(self):
        self.ops.queue_deep()

    @task(8)
    def detail(self):
        self.ops.detail()

    @task(4)
    def comment(self):
        self.ops.comment()

    @task(2)
    def knowledge_search(self):
        self.ops.knowledge_search()


class Line2Engineer(RoleUser):
    role, fixed_count = "line2", 2

    @task(5)
    def queue(self):
        self.ops.queue_first()

    @task(8)
    def detail(self):
        self.ops.detail()

    @task(3)
    def comment(self):
        self.ops.comment()

    @task(3)
    def case_search(self):
        self.ops.case_search()

    @task(3)
    def knowledge_search(self):
        self.ops.knowledge_search()


class Supervisor(RoleUser):
    role, fixed_count = "supervisor", 1

    @task(4)
    def queue(self):
        self.ops.queue_first()

    @task(2)
    def queue_deep(self):
        self.ops.queue_deep()

    @task(3)
    def detail(self):
        self.ops.detail()

    @task(1)
    def report(self):
        self.ops.report()


class SingleOperation(FastHttpUser):
    """Every user repeats the one operation named by BENCH_OPERATION."""

    wait_time = constant(0)

    def on_start(self):
        role, self.operation = OPERATIONS[os.environ["BENCH_OPERATION"]]
        self.person = Person(role)
        self.ops = Operations(self.client, self.person)

    @task
    def repeat(self):
        self.operation(self.ops)
