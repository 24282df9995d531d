"""The published OpenAPI schema is a contract: schemathesis checks every operation against it.

It loads /api/v1/openapi.json from the running WSGI application and, for each kind of person in
PERSONAS (each with a personal API token), generates valid and invalid requests for every
operation over demo data (cases open at each line, at a vendor, resolved; a problem). Most
requests name records that exist, so they get past the 404s. Checks: no 5xx, and every answer
matches the schema (status code, content type, body). Generation is derandomized (a failure
reproduces on the next run) and bounded by the example counts below (about 45 s on a
shared two-core machine).
"""

import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tierdesk.api import tokens
from tierdesk.cases import problems
from tierdesk.cases.demo import load_demo_cases
from tierdesk.cases.models import Case
from tierdesk.cases.models import Problem as ProblemRecord
from tierdesk.config.wsgi import application
from tierdesk.organization.demo import load_demo
from tierdesk.organization.models import Product, Site, User

# One person per kind of caller whose view of the API differs.
PERSONAS = {
    "field engineer": "fe-east-1",
    "line-2 engineer": "l2-1",
    "partner vendor contact": "vendor-1",
    "supervisor": "supervisor",
    # Reaches the admin-only operations (webhooks), which refuse the others with 403.
    "administrator": "admin",
}
POSITIVE_EXAMPLES = 3  # per operation and persona
NEGATIVE_EXAMPLES = 1
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    """Let the real WSGI handler run inside the test's transaction.

    Django closes "old" connections at the start and end of each request; inside a test's
    transaction that would throw the test data away. Django's own test client does the same.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def known_ids(db) -> dict[str, list[int]]:
    """Demo organization and cases (open at each line, at a vendor, resolved), and a problem."""
    load_demo()
    load_demo_cases()
    problems.open_problem(
        by=User.objects.get(username="l2-1"),
        title="固件串口驱动缺陷",
        description="",
        product=None,
        now=timezone.now(),
    )
    site = Site.objects.order_by("pk").first()
    return {
        "case_id": list(Case.objects.values_list("pk", flat=True)),
        "problem_id": list(ProblemRecord.objects.values_list("pk", flat=True)),
        "customer_id": [site.customer_id],
        "site_id": [site.pk],
        "product_id": list(Product.objects.values_list("pk", flat=True)),
    }


def _aimed_at_known_ids(strategy, known: dict[str, list[int]]):
    """Most examples name records that exist, so operations get past their 404s and 422s."""

    def aim(pair):
        case, choice = pair
        body = case.body if isinstance(case.body, dict) else {}
        for name, index in choice.items():
            if index is None:
                continue  # keep the generated value: unknown ids must be handled too
            value = known[name][index % len(known[name])]
            if name in case.path_parameters:
                case.path_parameters[name] = value
            if name in body:
                body[name] = value
        return case

    choice = st.fixed_dictionaries(
        {name: st.sampled_from([None, 0, 1, 2, 3, 4, 5]) for name in known}
    )
    return st.tuples(strategy, choice).map(aim)


def _has_inputs(operation) -> bool:
    """Whether there is anything to send wrongly (negative examples need something to break)."""
    return any(len(part) for part in (operation.path_parameters, operation.query, operation.body))


def test_every_operation_keeps_the_published_contract(
    known_ids, wsgi_requests_keep_the_test_transaction
):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    statuses: Counter[int] = Counter()
    unbreakable: set[str] = set()

    def exercise(operation, mode: GenerationMode, examples: int, headers: dict) -> None:
        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_aimed_at_known_ids(operation.as_strategy(generation_mode=mode), known_ids))
        def call(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] += 1

        try:
            call()
        except Unsatisfiable:
            # Every input of this operation accepts any value (e.g. a free-text slug): there
            # is no invalid request to build, which is fine.
            assert mode is GenerationMode.NEGATIVE, operation.label
            unbreakable.add(operation.label)

    started = time.monotonic()
    for username in PERSONAS.values():
        _token, plain = tokens.create_token(
            user=User.objects.get(username=username), name="contract", now=timezone.now()
        )
        headers = {"Authorization": f"Bearer {plain}"}
        for operation in operations:
            exercise(operation, GenerationMode.POSITIVE, POSITIVE_EXAMPLES, headers)
            if _has_inputs(operation):
                exercise(operation, GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, headers)
    elapsed = time.monotonic() - started
    generated = statuses.total()
    print(
        f"\nschemathesis: {generated} cases over {len(operations)} operations "
        f"as {len(PERSONAS)} personas in {elapsed:.1f} s; "
        f"statuses {dict(sorted(statuses.items()))}; "
        f"no invalid input possible for {sorted(unbreakable)}"
    )
    assert generated >= len(operations) * len(PERSONAS)
    assert statuses[200] + statuses[201] > generated // 10  # known ids do resolve
