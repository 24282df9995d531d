"""An outside program runs a case through its whole life with API tokens and the schema alone."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import ProductFactory, SiteFactory
from tierdesk.api import tokens

API = "/api/v1"


class Program:
    """A client that knows only a person's token and the published OpenAPI schema."""

    def __init__(self, user, schema: dict):
        _token, plain = tokens.create_token(user=user, name="integration", now=timezone.now())
        self.client = Client(enforce_csrf_checks=True)  # like any outside program: no cookies
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
        self.schema = schema

    def call(self, method: str, template: str, body: dict | None = None, **ids):
        # Only operations the published schema lists are used.
        assert method in self.schema["paths"][API + template], (method, template)
        url = API + template.format(**ids)
        if method == "get":
            response = self.client.get(url, body or {}, **self.headers)
        else:
            response = getattr(self.client, method)(
                url, json.dumps(body or {}), content_type="application/json", **self.headers
            )
        assert not self.client.cookies.get("sessionid"), "a token client has no session"
        return response

    def case(self, case_id: int) -> dict:
        response = self.call("get", "/cases/{case_id}", case_id=case_id)
        assert response.status_code == 200, response.content
        return response.json()

    def act(self, case_id: int, action: str, **body) -> dict:
        version = self.case(case_id)["version"]
        response = self.call(
            "post",
            "/cases/{case_id}/actions/{action}",
            {"version": version, **body},
            case_id=case_id,
            action=action,
        )
        assert response.status_code == 200, response.content
        return response.json()

    def last_event(self, case_id: int) -> dict:
        response = self.call("get", "/cases/{case_id}/events", {"limit": 100}, case_id=case_id)
        assert response.status_code == 200, response.content
        return response.json()["items"][-1]


@pytest.fixture
def schema(client):
    return client.get(f"{API}/openapi.json").json()


def test_a_case_goes_through_its_life_with_tokens_only(
    schema, field_engineer, regional_support, line2_engineer, rd_engineer, east
):
    site = SiteFactory(region=east)
    product = ProductFactory()
    alice, bob, carol, dave = (
        Program(person, schema)
        for person in (field_engineer, regional_support, line2_engineer, rd_engineer)
    )

    opened = alice.call(
        "post",
        "/cases",
        {
            "title": "传输设备频繁掉线",
            "description": "3 号机柜传输设备每小时掉线一次。",
            "customer_id": site.customer_id,
            "site_id": site.pk,
            "product_id": product.pk,
            "source": "customer",
            "priority": "P2",
        },
    )
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]
    assert (opened.json()["status"], opened.json()["owner"]) == ("field", "alice")
    created = alice.last_event(case_id)
    assert (created["kind"], created["actor"], created["to_status"]) == (
        "created",
        "alice",
        "field",
    )

    def step(program, action, **body):
        moved = program.act(case_id, action, **body)
        event = program.last_event(case_id)
        return moved, (event["action"], event["actor"], event["from_status"], event["to_status"])

    moved, event = step(alice, "escalate", text="重启、换线均无效。")
    assert moved["status"] == "regional"
    assert event == ("escalate", "alice", "field", "regional")

    moved, event = step(bob, "escalate", text="日志显示板卡异常复位，需二线分析。")
    assert (moved["status"], moved["line"]) == ("line2", 2)
    assert event == ("escalate", "bob", "regional", "line2")

    taken = carol.call(
        "post",
        "/cases/{case_id}/assign",
        {"username": "carol", "version": carol.case(case_id)["version"]},
        case_id=case_id,
    )
    assert taken.status_code == 200, taken.content
    assert taken.json()["owner"] == "carol"

    before_classifying = carol.case(case_id)["version"]
    classified = carol.call(
        "patch",
        "/cases/{case_id}",
        {"version": before_classifying, "classification": "product_defect"},
        case_id=case_id,
    )
    assert classified.status_code == 200, classified.content
    assert classified.json()["classification"] == "product_defect"
    change = carol.last_event(case_id)
    assert (change["kind"], change["field"], change["new_value"]) == (
        "field_changed",
        "classification",
        "product_defect",
    )

    # Bob still holds the version from before Carol's change: he is told who changed it.
    note = bob.call(
        "post",
        "/cases/{case_id}/comments",
        {"text": "补充：客户要求今天给出结论。"},
        case_id=case_id,
    )
    assert note.status_code == 201  # comments need no version
    conflict = bob.call(
        "post",
        "/cases/{case_id}/actions/{action}",
        {"version": before_classifying, "text": "客户同意升级"},
        case_id=case_id,
        action="resolve",
    )
    assert conflict.status_code == 409, conflict.content
    assert conflict["Content-Type"] == "application/problem+json"
    problem = conflict.json()
    assert problem["code"] == "conflict"
    assert problem["changed_by"] == "bob"  # the comment was the last change
    assert problem["current_version"] > before_classifying
    assert bob.client.get(problem["type"]).json()["code"] == "conflict"  # the type resolves

    moved, event = step(carol, "transfer_rd", text="可稳定复现，疑似板卡固件缺陷。")
    assert (moved["status"], moved["line2_owner"]) == ("rd", "carol")
    assert event == ("transfer_rd", "carol", "line2", "rd")

    moved, event = step(dave, "hand_back", text="固件 V2.3.1 已修复，请升级。")
    assert (moved["status"], moved["owner"]) == ("line2", "carol")
    assert event == ("hand_back", "dave", "rd", "line2")

    moved, event = step(carol, "resolve", text="升级固件 V2.3.1 后连续 48 小时无掉线。")
    assert moved["status"] == "resolved"
    assert moved["resolution"] == "升级固件 V2.3.1 后连续 48 小时无掉线。"
    assert event == ("resolve", "carol", "line2", "resolved")

    moved, event = step(bob, "close")
    assert moved["status"] == "closed"
    assert moved["closed_at"] is not None
    assert moved["available_actions"] == []
    assert event == ("close", "bob", "resolved", "closed")


def test_a_stale_version_names_who_changed_the_case(schema, field_engineer, east):
    site = SiteFactory(region=east)
    product = ProductFactory()
    alice = Program(field_engineer, schema)
    case = alice.call(
        "post",
        "/cases",
        {
            "title": "风扇告警",
            "description": "风扇转速告警。",
            "customer_id": site.customer_id,
            "site_id": site.pk,
            "product_id": product.pk,
            "source": "customer",
            "priority": "P3",
        },
    ).json()
    changed = alice.call(
        "patch",
        "/cases/{case_id}",
        {"version": case["version"], "priority": "P1"},
        case_id=case["id"],
    )
    assert changed.status_code == 200
    stale = alice.call(
        "post",
        "/cases/{case_id}/actions/{action}",
        {"version": case["version"], "text": "现场无法处理"},
        case_id=case["id"],
        action="escalate",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert (body["changed_by"], body["current_version"]) == ("alice", case["version"] + 1)
    assert "alice" in body["detail"] or "王丽" in body["detail"]
    assert alice.case(case["id"])["status"] == "field"
