"""The follow-up API: my list, one follow-up, calls and answers, as problem+json on refusal."""

import json

from tierdesk.cases.enums import Status
from tierdesk.followups.enums import FollowUpState

API = "/api/v1/follow-ups"
PROBLEM = "application/problem+json"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body


def test_my_list_and_one_follow_up(client, follow_up, regional_support):
    client.force_login(regional_support)
    listed = client.get(API).json()
    assert [item["id"] for item in listed["items"]] == [follow_up.pk]
    item = listed["items"][0]
    assert item["case_reference"] == follow_up.case.reference
    assert item["assignee"] == "bob"
    assert item["state"] == "open"
    assert item["failed_calls"] == 0
    assert listed["next_cursor"] is None

    detail = client.get(f"{API}/{follow_up.pk}").json()
    assert detail["attempts"] == []
    assert "/follow-ups/answer/" in detail["answer_link"]


def test_calls_and_answer_close_the_case(client, follow_up, regional_support):
    client.force_login(regional_support)
    called = post(client, f"{API}/{follow_up.pk}/attempts", {"reached": False, "note": "忙音"})
    assert called.status_code == 201, called.content
    assert called.json()["failed_calls"] == 1
    assert called.json()["attempts"][0]["note"] == "忙音"

    answered = post(
        client, f"{API}/{follow_up.pk}/answer", {"satisfaction": "neutral", "comment": "还行"}
    )
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["state"] == FollowUpState.SATISFIED
    assert body["satisfaction"] == "neutral"
    assert body["answered_via"] == "phone"
    assert body["answer_link"] is None
    follow_up.case.refresh_from_db()
    assert follow_up.case.status == Status.CLOSED

    again = post(client, f"{API}/{follow_up.pk}/answer", {"satisfaction": "satisfied"})
    assert_problem(again, 422, "validation_error")


def test_dissatisfied_without_comment_and_unknown_levels_are_field_errors(
    client, follow_up, regional_support
):
    client.force_login(regional_support)
    missing = post(client, f"{API}/{follow_up.pk}/answer", {"satisfaction": "dissatisfied"})
    body = assert_problem(missing, 422, "validation_error")
    assert body["errors"][0]["field"] == "comment"
    unknown = post(client, f"{API}/{follow_up.pk}/answer", {"satisfaction": "meh"})
    assert_problem(unknown, 422, "validation_error")


def test_another_region_s_regional_support_gets_404(client, follow_up, north_support):
    client.force_login(north_support)
    assert client.get(API).json()["items"] == []
    assert client.get(API, {"scope": "all"}).json()["items"] == []
    assert_problem(client.get(f"{API}/{follow_up.pk}"), 404, "not_found")
    assert_problem(
        post(client, f"{API}/{follow_up.pk}/attempts", {"reached": False}), 404, "not_found"
    )
    assert_problem(
        post(client, f"{API}/{follow_up.pk}/answer", {"satisfaction": "satisfied"}),
        404,
        "not_found",
    )


def test_a_colleague_sees_the_region_s_follow_ups_in_the_all_scope(
    client, follow_up, east_colleague
):
    client.force_login(east_colleague)
    assert client.get(API).json()["items"] == []
    assert [i["id"] for i in client.get(API, {"scope": "all"}).json()["items"]] == [follow_up.pk]


def test_the_list_does_not_query_per_row(
    client, resolve, regional_support, django_assert_max_num_queries
):
    resolve()
    client.force_login(regional_support)
    with django_assert_max_num_queries(10) as one:
        assert len(client.get(API).json()["items"]) == 1
    for _ in range(5):
        resolve()
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(API).json()["items"]) == 6


def test_anonymous_gets_401(client):
    assert_problem(client.get(API), 401, "not_authenticated")
