"""The notifications page and `/api/v1/me/notifications`: a person switches kinds on and off."""

import json

from django.urls import reverse

from tests.notifications.conftest import FIXED, planned
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action
from tierdesk.notifications import delivery, services
from tierdesk.notifications.enums import NotificationKind as Kind

API = "/api/v1/me/notifications"


def test_page_lists_every_kind_switched_on_and_the_mail_sent(
    client, open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源")
    planned()
    delivery.deliver_due(now=FIXED)
    client.force_login(regional_support)

    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 200
    page = response.content.decode()
    for kind in Kind:
        assert f'name="{kind.value}"' in page
    assert page.count("checked") == len(Kind)
    assert case.reference in page
    assert "已发送" in page or "Sent" in page


def test_page_saves_the_kinds_left_unticked_as_switched_off(client, field_engineer):
    client.force_login(field_engineer)
    ticked = {kind.value: "on" for kind in Kind if kind != Kind.COMMENT}

    response = client.post(reverse("notifications:preferences"), ticked)

    assert response.status_code == 302
    choices = services.preferences_of(field_engineer)
    assert choices[Kind.COMMENT] is False
    assert all(on for kind, on in choices.items() if kind != Kind.COMMENT)


def test_page_needs_a_signed_in_person(client, db):
    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_api_reads_and_changes_my_preferences(client, field_engineer):
    client.force_login(field_engineer)

    before = client.get(API).json()["preferences"]
    response = client.put(
        API,
        json.dumps({"enabled": {"sla_warning": False, "resolved": True}}),
        content_type="application/json",
    )
    after = client.get(API).json()["preferences"]

    assert {p["kind"] for p in before} == set(Kind.values)
    assert all(p["enabled"] for p in before)
    assert response.status_code == 200
    assert {p["kind"]: p["enabled"] for p in after} == {
        **dict.fromkeys(Kind.values, True),
        "sla_warning": False,
    }


def test_api_refuses_an_unknown_kind_as_problem_json(client, field_engineer):
    client.force_login(field_engineer)

    response = client.put(
        API, json.dumps({"enabled": {"lottery_win": True}}), content_type="application/json"
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_api_needs_a_signed_in_person(client, db):
    response = client.get(API)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_api_lists_my_mail_newest_first_by_cursor(
    client, open_case, field_engineer, regional_support
):
    for _ in range(3):
        case = open_case(field_engineer)
        workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过")
    planned()
    client.force_login(regional_support)

    first = client.get(f"{API}/sent", {"limit": 2}).json()
    second = client.get(f"{API}/sent", {"limit": 2, "cursor": first["next_cursor"]}).json()

    cases = [item["case"] for item in first["items"] + second["items"]]
    assert len(cases) == 3
    assert cases == sorted(cases, reverse=True)
    assert second["next_cursor"] is None
    assert {item["state"] for item in first["items"]} == {"pending"}


def test_administrators_read_notifications_and_preferences_in_the_admin(
    client, administrator, open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源")
    planned()
    services.set_preferences(user=regional_support, enabled={Kind.COMMENT: False})
    client.force_login(administrator)

    notifications = client.get(reverse("admin:notifications_notification_changelist"))
    preferences = client.get(reverse("admin:notifications_notificationpreference_changelist"))
    adding = client.get(reverse("admin:notifications_notification_add"))

    assert notifications.status_code == 200
    assert case.reference in notifications.content.decode()
    assert preferences.status_code == 200
    assert adding.status_code == 403
