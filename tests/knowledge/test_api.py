"""The knowledge API: search, read, write, workflow, reuse and votes, with problem+json errors."""

import json

import pytest

from tests.knowledge.conftest import at
from tierdesk.knowledge import services

pytestmark = pytest.mark.django_db

API = "/api/v1/knowledge"
PROBLEM = "application/problem+json"


def post(client, url, body=None):
    return client.post(API + url, json.dumps(body or {}), content_type="application/json")


def test_an_article_is_written_reviewed_published_and_searched(
    client, regional_support, line2_engineer, north_field_engineer, resolved_case
):
    client.force_login(regional_support)
    created = post(
        client,
        "/articles",
        {
            "title": "FSU 离线告警",
            "symptom": "FSU 每天离线。",
            "solution": "更换天线。",
            "category": "network",
            "source_case_ids": [resolved_case.pk],
        },
    )
    assert created.status_code == 201, created.content
    article = created.json()
    assert article["state"] == "draft" and article["source_cases"] == [resolved_case.pk]
    assert article["actions"] == ["submit"]
    changed = client.patch(
        f"{API}/articles/{article['id']}",
        json.dumps({"cause": "天线松动", "note": "补原因"}),
        content_type="application/json",
    )
    assert changed.json()["current_version"] == 2
    submitted = post(client, f"/articles/{article['id']}/actions", {"action": "submit"})
    assert submitted.json()["state"] == "in_review"
    client.force_login(line2_engineer)
    approved = post(client, f"/articles/{article['id']}/actions", {"action": "approve"})
    assert approved.json()["state"] == "published"

    client.force_login(north_field_engineer)
    hits = client.get(f"{API}/articles/search", {"q": "掉线"}).json()
    assert [hit["id"] for hit in hits] == [article["id"]]
    assert "<mark>离线</mark>" in hits[0]["title_html"]


def test_a_draft_is_not_found_by_others(client, write_article, north_field_engineer):
    draft = write_article(title="草稿", symptom="现象", published=False)
    client.force_login(north_field_engineer)
    response = client.get(f"{API}/articles/{draft.pk}")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_approving_your_own_article_is_forbidden(client, write_article, line2_engineer):
    article = write_article(title="NVR", symptom="现象", by=line2_engineer, published=False)
    services.act(article, action="submit", by=line2_engineer, now=at(1))
    client.force_login(line2_engineer)
    response = post(client, f"/articles/{article.pk}/actions", {"action": "approve"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_reuse_and_votes_are_counted_once(client, write_article, resolved_case, field_engineer):
    article = write_article(title="FSU 离线", symptom="现象")
    client.force_login(field_engineer)
    for _ in range(2):
        reuse = post(client, f"/articles/{article.pk}/reuses", {"case_id": resolved_case.pk})
        vote = post(client, f"/articles/{article.pk}/votes")
    assert reuse.json()["reuse_count"] == 1
    assert vote.json() == {"reuse_count": 1, "helpful_votes": 1}


def test_case_search_only_returns_visible_cases(
    client, open_case, field_engineer, north_field_engineer
):
    case = open_case(field_engineer, title="摄像头掉线", description="IPC 每晚掉线。")
    client.force_login(north_field_engineer)
    assert client.get(f"{API}/cases/search", {"q": "离线"}).json() == []
    client.force_login(field_engineer)
    assert [hit["id"] for hit in client.get(f"{API}/cases/search", {"q": "离线"}).json()] == [
        case.pk
    ]
