"""The quarterly assessment through the API: reading table 1, comments and sign-off."""

import pytest
from django.utils import timezone

from tierdesk.assessment.models import AssessmentComment, QuarterlyAssessment
from tierdesk.reports.periods import Period

API = "/api/v1/reports/assessments"
JSON = "application/json"


@pytest.fixture
def api(browse):
    return browse


def rows(assessment: dict, item: str) -> dict:
    return {row["name"]: row for row in assessment[item]}


def comment(client, person, text, *, period="2026-Q1", item="satisfaction"):
    return client.put(
        f"{API}/{period}/comments",
        {"item": item, "person_id": person.pk, "text": text},
        content_type=JSON,
    )


def test_supervisor_reads_live_figures_without_storing_anything(
    api, supervisor, q1_answers, regional_support
):
    response = api(supervisor).get(f"{API}/2026-Q1")
    assert response.status_code == 200, response.content
    assessment = response.json()
    assert assessment["state"] == "not_started"
    assert assessment["may_review"] and assessment["quarter_over"]
    bob = rows(assessment, "satisfaction")["李博"]
    assert bob["figures"] == {
        "levels": {
            "very_satisfied": 2,
            "satisfied": 1,
            "neutral": 0,
            "dissatisfied": 1,
            "very_dissatisfied": 0,
        },
        "surveyed": 4,
        "score": 4.0,
    }
    assert rows(assessment, "satisfaction")["任婷"]["figures"]["score"] == 3
    assert assessment["links"]["xlsx"] == "/assessment/2026-Q1/xlsx/"
    assert not QuarterlyAssessment.objects.exists()


def test_supervisor_comments_then_signs_off_and_the_quarter_locks(
    api, supervisor, q1_answers, regional_support
):
    client = api(supervisor)
    response = comment(client, regional_support, "回访及时，继续保持。")
    assert response.status_code == 200, response.content
    assert response.json()["written_by"] == supervisor.username

    response = client.post(
        f"{API}/2026-Q1/sign-off", {"conclusion": "一季度合格。"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    signed = response.json()
    assert signed["state"] == "signed_off" and signed["signed_off_by"] == supervisor.username
    assert signed["conclusion"] == "一季度合格。" and not signed["may_review"]
    assert rows(signed, "satisfaction")["李博"]["comment"] == "回访及时，继续保持。"

    late = comment(client, regional_support, "晚了")
    assert late.status_code == 422
    assert late.json()["detail"] == "This quarter is signed off and locked."
    again = client.post(f"{API}/2026-Q1/sign-off", {"conclusion": ""}, content_type=JSON)
    assert again.status_code == 422
    assert AssessmentComment.objects.get().text == "回访及时，继续保持。"


def test_empty_text_removes_the_comment(api, supervisor, q1_answers, regional_support):
    client = api(supervisor)
    comment(client, regional_support, "待改进")
    response = comment(client, regional_support, "  ")
    assert response.status_code == 200
    assert response.json()["text"] == "" and response.json()["written_by"] is None
    assert not AssessmentComment.objects.exists()
    assessment = client.get(f"{API}/2026-Q1").json()
    assert assessment["state"] == "open"
    assert rows(assessment, "satisfaction")["李博"]["comment"] == ""


def test_comment_only_on_someone_assessed_for_the_item(api, supervisor, q1_answers, field_engineer):
    response = comment(api(supervisor), field_engineer, "不在表内")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    missing = api(supervisor).put(
        f"{API}/2026-Q1/comments",
        {"item": "satisfaction", "person_id": 999999, "text": "无此人"},
        content_type=JSON,
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "person_id"


def test_the_running_quarter_cannot_be_signed_off(api, supervisor):
    running = Period.quarter_of(timezone.localdate())
    response = api(supervisor).post(
        f"{API}/{running.key}/sign-off", {"conclusion": ""}, content_type=JSON
    )
    assert response.status_code == 422
    assert "after it has ended" in response.json()["detail"]


def test_an_administrator_reads_but_does_not_review(
    api, administrator, q1_answers, regional_support
):
    client = api(administrator)
    assert client.get(f"{API}/2026-Q1").json()["may_review"] is False
    response = comment(client, regional_support, "管理员")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not QuarterlyAssessment.objects.exists()


def test_line_one_may_not_read_the_assessment(api, regional_support):
    for response in (
        api(regional_support).get(API),
        api(regional_support).get(f"{API}/2026-Q1"),
        comment(api(regional_support), regional_support, "自评"),
    ):
        assert response.status_code == 403


@pytest.mark.parametrize("period", ["2026-03", "2026-Q9", "Q1"])
def test_an_assessment_is_per_quarter(api, supervisor, period):
    response = api(supervisor).get(f"{API}/{period}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period"


def test_list_shows_recent_and_signed_quarters(api, supervisor, q1_answers, regional_support):
    client = api(supervisor)
    client.post(f"{API}/2026-Q1/sign-off", {"conclusion": ""}, content_type=JSON)
    quarters = {row["period"]["key"]: row for row in client.get(API).json()}
    assert quarters["2026-Q1"]["state"] == "signed_off"
    assert Period.quarter_of(timezone.localdate()).key in quarters
