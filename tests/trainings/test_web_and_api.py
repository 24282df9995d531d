"""Training pages and API: planning, attendance, materials, records, and region scoping."""

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.trainings.conftest import TODAY, at
from tierdesk.trainings import services
from tierdesk.trainings.models import SessionState, TrainingSession

pytestmark = pytest.mark.django_db

API = "/api/v1/trainings"
PROBLEM = "application/problem+json"


def post_json(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")


# --- pages ---------------------------------------------------------------------------------


def test_regional_support_plans_a_session_from_the_page(
    client, regional_support, field_engineer, published_article
):
    client.force_login(regional_support)
    assert client.get("/trainings/new/").status_code == 200

    response = client.post(
        "/trainings/new/",
        {
            "title": "动环监控告警处理",
            "region": regional_support.region_id,
            "trainer": regional_support.pk,
            "held_on": "2026-03-20",
            "starts_at": "14:00",
            "ends_at": "16:00",
            "location": "华东大区会议室",
            "topics": "告警分级与处理。",
            "articles": [published_article.pk],
            "attendees": [field_engineer.pk],
        },
    )

    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trainings/{session.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "动环监控告警处理" in page
    assert f'href="/knowledge/{published_article.pk}/"' in page
    assert f'data-attendee="{field_engineer.pk}"' in page


def test_a_bad_session_shows_the_error_next_to_the_field(client, regional_support):
    client.force_login(regional_support)

    response = client.post(
        "/trainings/new/",
        {
            "title": "x",
            "region": regional_support.region_id,
            "trainer": regional_support.pk,
            "held_on": "2026-03-20",
            "starts_at": "16:00",
            "ends_at": "14:00",
            "topics": "y",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    assert not TrainingSession.objects.exists()


def test_the_list_filters_by_trainer_and_period(
    client, plan, regional_support, line2_engineer, field_engineer
):
    mine = plan()
    carols = plan(trainer=line2_engineer, held_on=TODAY.replace(day=25))
    client.force_login(field_engineer)

    everything = client.get("/trainings/").content.decode()
    by_carol = client.get("/trainings/", {"trainer": line2_engineer.pk}).content.decode()
    early = client.get("/trainings/", {"end": "2026-03-15"}).content.decode()

    assert f'data-session="{mine.pk}"' in everything and f'data-session="{carols.pk}"' in everything
    assert f'data-session="{mine.pk}"' not in by_carol and f'data-session="{carols.pk}"' in by_carol
    assert f'data-session="{mine.pk}"' in early and f'data-session="{carols.pk}"' not in early


def test_attendance_is_marked_on_the_page(client, plan, regional_support, field_engineer):
    session = plan(attendees=[field_engineer])
    client.force_login(regional_support)

    response = client.post(
        f"/trainings/{session.pk}/attendance/",
        {"person": field_engineer.pk, "status": "attended", "score": "88", "note": ""},
    )

    assert response.status_code == 302
    page = client.get(f"/trainings/{session.pk}/").content.decode()
    assert 'data-status="attended"' in page and "88" in page


def test_a_bad_score_comes_back_as_a_form_error(client, plan, regional_support, field_engineer):
    session = plan(attendees=[field_engineer])
    client.force_login(regional_support)

    response = client.post(
        f"/trainings/{session.pk}/attendance/",
        {"person": field_engineer.pk, "status": "absent", "score": "50"},
    )

    assert response.status_code == 400
    assert response.context["attendance_form"].errors["score"]


def test_materials_are_uploaded_and_downloaded_by_those_who_see_the_session(
    client, plan, regional_support, field_engineer, north_field_engineer
):
    session = plan()
    client.force_login(regional_support)
    response = client.post(
        f"/trainings/{session.pk}/materials/",
        {"file": SimpleUploadedFile("讲义.pdf", b"%PDF-1.7 handout", "application/pdf")},
    )
    assert response.status_code == 302
    material = session.materials.get()

    client.force_login(field_engineer)
    download = client.get(f"/trainings/{session.pk}/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(north_field_engineer)
    assert client.get(f"/trainings/{session.pk}/materials/{material.pk}/").status_code == 404


def test_a_field_engineer_sees_but_does_not_change_the_regions_sessions(
    client, plan, field_engineer
):
    session = plan()
    client.force_login(field_engineer)

    page = client.get(f"/trainings/{session.pk}/").content.decode()

    assert 'data-form="attendance"' not in page
    assert client.get(f"/trainings/{session.pk}/edit/").status_code == 403
    assert client.get("/trainings/new/").status_code == 403


def test_another_regions_people_get_404(client, plan, north_support, north_field_engineer):
    session = plan()
    for person in (north_support, north_field_engineer):
        client.force_login(person)
        assert client.get(f"/trainings/{session.pk}/").status_code == 404
        assert client.post(f"/trainings/{session.pk}/state/", {"state": "held"}).status_code == 404
        assert f'data-session="{session.pk}"' not in client.get("/trainings/").content.decode()


def test_the_supervisor_sees_every_region(client, plan, supervisor):
    session = plan()
    client.force_login(supervisor)
    assert client.get(f"/trainings/{session.pk}/").status_code == 200


def test_a_session_is_recorded_as_held_from_the_page(client, plan, regional_support):
    session = plan()
    client.force_login(regional_support)

    client.post(f"/trainings/{session.pk}/state/", {"state": "held"})

    session.refresh_from_db()
    assert session.state == SessionState.HELD


def test_records_are_seen_by_the_person_and_their_regions_support(
    client, plan, regional_support, field_engineer, north_support, north_field_engineer
):
    session = plan(attendees=[field_engineer])
    client.force_login(field_engineer)
    mine = client.get("/trainings/me/").content.decode()
    assert f'data-session="{session.pk}"' in mine

    client.force_login(regional_support)
    assert client.get(f"/trainings/people/{field_engineer.pk}/").status_code == 200
    client.force_login(north_support)
    assert client.get(f"/trainings/people/{field_engineer.pk}/").status_code == 404
    client.force_login(north_field_engineer)
    assert client.get(f"/trainings/people/{field_engineer.pk}/").status_code == 404


def test_the_menu_has_trainings_next_to_the_knowledge_base(client, field_engineer):
    client.force_login(field_engineer)
    page = client.get("/").content.decode()
    assert page.index('href="/knowledge/"') < page.index('href="/trainings/"')


# --- API -----------------------------------------------------------------------------------


def test_a_session_is_planned_held_and_marked_through_the_api(
    client, regional_support, field_engineer, published_article
):
    client.force_login(regional_support)
    created = post_json(
        client,
        "/sessions",
        {
            "title": "FSU 固件升级",
            "region_id": regional_support.region_id,
            "trainer_id": regional_support.pk,
            "held_on": "2026-03-01",
            "topics": "升级步骤。",
            "article_ids": [published_article.pk],
            "attendee_ids": [field_engineer.pk],
        },
    )
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["state"] == "planned" and session["article_ids"] == [published_article.pk]
    assert session["attendances"][0]["status"] == "invited"

    changed = client.patch(
        f"{API}/sessions/{session['id']}",
        json.dumps({"location": "线上", "online": True}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["online"] is True
    held = post_json(client, f"/sessions/{session['id']}/state", {"state": "held"})
    assert held.json()["state"] == "held"
    marked = post_json(
        client,
        f"/sessions/{session['id']}/attendance",
        {"person_id": field_engineer.pk, "status": "attended", "score": 95},
    )
    assert marked.json()["attendances"][0] == {
        "person_id": field_engineer.pk,
        "person": field_engineer.username,
        "status": "attended",
        "score": 95,
        "note": "",
    }

    record = client.get(f"{API}/people/{field_engineer.pk}/record").json()
    assert record["sessions_attended"] == 1 and record["attended"][0]["id"] == session["id"]
    listed = client.get(f"{API}/sessions", {"trainer_id": regional_support.pk}).json()
    assert [item["id"] for item in listed["items"]] == [session["id"]]


def test_api_errors_are_problems(client, plan, regional_support, north_support, field_engineer):
    session = plan()
    client.force_login(regional_support)
    bad = post_json(
        client,
        "/sessions",
        {
            "title": "x",
            "region_id": regional_support.region_id,
            "trainer_id": field_engineer.pk,
            "held_on": "2026-03-01",
            "topics": "y",
        },
    )
    assert bad.status_code == 422 and bad["Content-Type"] == PROBLEM
    assert "trainer" in bad.content.decode()

    client.force_login(north_support)
    hidden = client.get(f"{API}/sessions/{session.pk}")
    assert hidden.status_code == 404 and hidden["Content-Type"] == PROBLEM

    client.force_login(field_engineer)
    refused = post_json(client, f"/sessions/{session.pk}/state", {"state": "cancelled"})
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM


def test_the_assessment_page_shows_trainings_given(
    client, plan, regional_support, line2_engineer, supervisor
):
    session = plan(trainer=line2_engineer)
    services.record_held(session, by=regional_support, now=at(0, 8))
    client.force_login(supervisor)

    page = client.get("/assessment/2026-Q1/").content.decode()

    row = page[page.index(f'<tr data-person="{line2_engineer.pk}">') :]
    cells = re.findall(r"<td>(.*?)</td>", row[: row.index("</tr>")])
    assert cells[5] == "1"  # person, department, authored, published, reused, trainings given


def test_the_trainings_export_lists_the_sessions_the_page_shows(
    client, plan, regional_support, field_engineer, north_support, published_article
):
    east = plan(attendees=[field_engineer], articles=[published_article])
    services.record_held(east, by=regional_support, now=at(0, 2))
    services.mark_attendance(
        east, by=regional_support, now=at(0, 3), person=field_engineer, status="attended"
    )
    plan(
        by=north_support,
        title="北区 UPS 培训",
        region=north_support.region,
        trainer=north_support,
    )
    client.force_login(field_engineer)

    response = client.get("/transfer/exports/trainings.csv")

    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["日期", "标题"]
    assert [row[1] for row in rows[1:]] == ["FSU 离线排查"]
    assert rows[1][0] == TODAY.isoformat()
    assert rows[1][7:] == ["1 / 1", "1"]
