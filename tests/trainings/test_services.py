"""The rules of training sessions: who trains, who attends, when a session counts."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.trainings.conftest import TODAY, at
from tierdesk.knowledge import services as knowledge
from tierdesk.reports.knowledge_figures import people_knowledge
from tierdesk.reports.periods import Period
from tierdesk.trainings import services
from tierdesk.trainings.figures import trainings_given
from tierdesk.trainings.models import AttendanceStatus, SessionState

pytestmark = pytest.mark.django_db


def test_planning_a_session_invites_the_attendees_and_links_the_articles(
    plan, field_engineer, published_article
):
    session = plan(attendees=[field_engineer], articles=[published_article])

    assert session.state == SessionState.PLANNED
    assert [(a.person, a.status) for a in session.attendances.all()] == [
        (field_engineer, AttendanceStatus.INVITED)
    ]
    assert list(session.articles.all()) == [published_article]


def test_regional_support_plans_only_in_its_own_region(plan, north, regional_support):
    with pytest.raises(ValidationError) as error:
        plan(region=north)
    assert "region" in error.value.message_dict


def test_a_field_engineer_does_not_plan_sessions(plan, field_engineer):
    with pytest.raises(PermissionDenied):
        plan(by=field_engineer, trainer=field_engineer)


def test_a_line2_engineer_trains_any_region(plan, line2_engineer, north, north_field_engineer):
    session = plan(
        by=line2_engineer, trainer=line2_engineer, region=north, attendees=[north_field_engineer]
    )
    assert session.trainer == line2_engineer and session.region == north


def test_the_trainer_is_support_line2_or_a_specialist(plan, field_engineer, north_support):
    for trainer in (field_engineer, north_support):
        with pytest.raises(ValidationError) as error:
            plan(trainer=trainer)
        assert "trainer" in error.value.message_dict


def test_only_the_regions_staff_attend(plan, north_field_engineer):
    with pytest.raises(ValidationError) as error:
        plan(attendees=[north_field_engineer])
    assert "attendees" in error.value.message_dict


def test_a_session_ends_after_it_starts(plan):
    with pytest.raises(ValidationError) as error:
        plan(starts_at=time(14), ends_at=time(13))
    assert "ends_at" in error.value.message_dict


def test_drafts_cannot_be_covered(plan, regional_support):
    draft = knowledge.create_article(
        by=regional_support, now=at(-2), title="草稿", symptom="x", solution="y"
    )
    with pytest.raises(ValidationError) as error:
        plan(articles=[draft])
    assert "articles" in error.value.message_dict


def test_a_session_is_held_on_or_after_its_day_and_then_not_cancelled(plan, regional_support):
    session = plan(held_on=TODAY.replace(day=12))
    with pytest.raises(ValidationError):
        services.record_held(session, by=regional_support, now=at(0))

    held = services.record_held(session, by=regional_support, now=at(2, 10))
    assert held.state == SessionState.HELD
    with pytest.raises(ValidationError):
        services.cancel_session(held, by=regional_support, now=at(3))


def test_a_cancelled_session_stays_as_it_was(plan, regional_support):
    session = services.cancel_session(plan(), by=regional_support, now=at(0))
    with pytest.raises(PermissionDenied):
        services.update_session(session, by=regional_support, now=at(1), title="新标题")


def test_attendance_is_marked_with_a_score_and_walk_ins_are_added(
    plan, regional_support, field_engineer
):
    session = plan(attendees=[field_engineer])
    walk_in = regional_support  # not invited, but came to his own region's session

    services.mark_attendance(
        session,
        by=regional_support,
        now=at(0, 8),
        person=field_engineer,
        status="attended",
        score=92,
    )
    services.mark_attendance(
        session, by=regional_support, now=at(0, 8), person=walk_in, status="absent"
    )

    marks = {a.person: (a.status, a.score) for a in session.attendances.all()}
    assert marks == {field_engineer: ("attended", 92), walk_in: ("absent", None)}


@pytest.mark.parametrize(
    ("status", "score", "field"),
    [("attended", 101, "score"), ("absent", 50, "score"), ("maybe", None, "status")],
)
def test_bad_attendance_is_refused(plan, regional_support, field_engineer, status, score, field):
    session = plan(attendees=[field_engineer])
    with pytest.raises(ValidationError) as error:
        services.mark_attendance(
            session,
            by=regional_support,
            now=at(0, 8),
            person=field_engineer,
            status=status,
            score=score,
        )
    assert field in error.value.message_dict


def test_attendance_waits_for_the_sessions_day(plan, regional_support, field_engineer):
    session = plan(held_on=TODAY.replace(day=20), attendees=[field_engineer])
    with pytest.raises(ValidationError):
        services.mark_attendance(
            session, by=regional_support, now=at(0), person=field_engineer, status="attended"
        )


def test_materials_are_checked_by_their_first_bytes(plan, regional_support):
    session = plan()
    slides = services.add_material(
        session,
        by=regional_support,
        upload=SimpleUploadedFile("slides.pdf", b"%PDF-1.7 slides"),
        now=at(0),
    )
    assert slides.content_type == "application/pdf"
    with pytest.raises(ValidationError) as error:
        services.add_material(
            session,
            by=regional_support,
            upload=SimpleUploadedFile("slides.pdf", b"MZ\x90\x00\x03\x00binary"),
            now=at(0),
        )
    assert "file" in error.value.message_dict


def test_trainings_given_counts_held_sessions_of_the_period(plan, regional_support, line2_engineer):
    held = plan(trainer=line2_engineer)
    services.record_held(held, by=regional_support, now=at(0, 8))
    plan(trainer=line2_engineer)  # still planned
    services.cancel_session(plan(trainer=line2_engineer), by=regional_support, now=at(0))
    april = plan(trainer=line2_engineer, held_on=TODAY.replace(month=4, day=2))
    services.record_held(april, by=regional_support, now=at(30))

    march = Period.parse("2026-03")
    assert trainings_given(
        people=[line2_engineer, regional_support], start=march.start, end=march.end
    ) == {line2_engineer.pk: 1, regional_support.pk: 0}
    assert (
        people_knowledge(people=[line2_engineer], period=march)[line2_engineer.pk].trainings_given
        == 1
    )


def test_the_record_counts_held_sessions_attended_and_given(plan, regional_support, field_engineer):
    held = plan(attendees=[field_engineer])
    services.mark_attendance(
        held, by=regional_support, now=at(0, 8), person=field_engineer, status="attended"
    )
    services.record_held(held, by=regional_support, now=at(0, 8))
    plan(attendees=[field_engineer])  # planned: on the record, not counted

    alice = services.training_record(field_engineer)
    bob = services.training_record(regional_support)

    assert (alice.sessions_attended, len(alice.attended)) == (1, 2)
    assert (bob.sessions_given, len(bob.given)) == (1, 2)
