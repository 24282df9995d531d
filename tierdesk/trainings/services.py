"""The business actions on training sessions; the pages, the API and the admin call these."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.attachments import checked_content_type
from tierdesk.knowledge import access as knowledge_access
from tierdesk.knowledge.models import Article
from tierdesk.organization.models import Region, User
from tierdesk.trainings import access
from tierdesk.trainings.models import (
    Attendance,
    AttendanceStatus,
    Material,
    SessionState,
    TrainingSession,
)

MAX_SCORE = 100
EDITABLE_FIELDS = [
    "title",
    "region",
    "trainer",
    "held_on",
    "starts_at",
    "ends_at",
    "location",
    "online",
    "topics",
]


def _check_details(
    *,
    by: User,
    region: Region,
    trainer: User,
    starts_at: time | None,
    ends_at: time | None,
    articles: list[Article],
    attendees: list[User],
) -> None:
    errors: dict[str, list] = {}
    if not access.may_plan_in(by, region):
        errors["region"] = [_("You may not plan sessions in this region.")]
    if not access.may_be_trainer(trainer, region):
        errors["trainer"] = [
            _("The trainer must be the region's technical support, line 2 or a specialist.")
        ]
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    readable = set(
        knowledge_access.articles_visible_to(by)
        .public()
        .filter(pk__in=[article.pk for article in articles])
        .values_list("pk", flat=True)
    )
    if any(article.pk not in readable for article in articles):
        errors["articles"] = [_("Only published articles can be covered.")]
    strangers = [person for person in attendees if not access.may_attend(person, region)]
    if strangers:
        errors["attendees"] = [
            _("Only active staff of the session's region can attend: %(names)s.")
            % {"names": ", ".join(str(person) for person in strangers)}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_session(
    *,
    by: User,
    now: datetime,
    title: str,
    region: Region,
    trainer: User,
    held_on: date,
    topics: str,
    starts_at: time | None = None,
    ends_at: time | None = None,
    location: str = "",
    online: bool = False,
    articles: list[Article] = (),
    attendees: list[User] = (),
) -> TrainingSession:
    """Put a session on the calendar with the people invited to it."""
    if not access.may_plan(by):
        raise PermissionDenied(_("You may not plan training sessions."))
    articles, attendees = list(articles), list(dict.fromkeys(attendees))
    _check_details(
        by=by,
        region=region,
        trainer=trainer,
        starts_at=starts_at,
        ends_at=ends_at,
        articles=articles,
        attendees=attendees,
    )
    session = TrainingSession(
        title=title.strip(),
        region=region,
        trainer=trainer,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        online=online,
        topics=topics.strip(),
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    session.full_clean()
    session.save()
    session.articles.set(articles)
    Attendance.objects.bulk_create(
        [Attendance(session=session, person=person, updated_at=now) for person in attendees]
    )
    return session


def _locked(session: TrainingSession) -> TrainingSession:
    # Two organizers may change the same session at once; the later one sees the first's work.
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def update_session(
    session: TrainingSession,
    *,
    by: User,
    now: datetime,
    articles: list[Article] | None = None,
    attendees: list[User] | None = None,
    **changes,
) -> TrainingSession:
    """Change the session's details; `attendees` replaces the list (kept marks stay)."""
    session = _locked(session)
    if not access.may_edit(session, by):
        raise PermissionDenied(_("You may not change this session."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    current_articles = list(session.articles.all()) if articles is None else list(articles)
    current_people = [attendance.person for attendance in session.attendances.all()]
    wanted_people = current_people if attendees is None else list(dict.fromkeys(attendees))
    new_people = [person for person in wanted_people if person not in current_people]
    _check_details(
        by=by,
        region=session.region,
        trainer=session.trainer,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        articles=current_articles if articles is not None else [],
        attendees=new_people,
    )
    session.updated_at = now
    session.full_clean()
    session.save()
    if articles is not None:
        session.articles.set(current_articles)
    if attendees is not None:
        session.attendances.exclude(person__in=wanted_people).delete()
        Attendance.objects.bulk_create(
            [Attendance(session=session, person=person, updated_at=now) for person in new_people]
        )
    return session


def _today(now: datetime) -> date:
    return timezone.localdate(now)


@transaction.atomic
def record_held(session: TrainingSession, *, by: User, now: datetime) -> TrainingSession:
    """The session took place; it now counts as a training given."""
    session = _locked(session)
    if not access.may_edit(session, by):
        raise PermissionDenied(_("You may not change this session."))
    if session.state != SessionState.PLANNED:
        raise ValidationError(_("Only a planned session can be recorded as held."))
    if session.held_on > _today(now):
        raise ValidationError(_("A session cannot be recorded as held before its date."))
    session.state = SessionState.HELD
    session.updated_at = now
    session.save(update_fields=["state", "updated_at"])
    return session


@transaction.atomic
def cancel_session(session: TrainingSession, *, by: User, now: datetime) -> TrainingSession:
    session = _locked(session)
    if not access.may_edit(session, by):
        raise PermissionDenied(_("You may not change this session."))
    if session.state != SessionState.PLANNED:
        raise ValidationError(_("Only a planned session can be cancelled."))
    session.state = SessionState.CANCELLED
    session.updated_at = now
    session.save(update_fields=["state", "updated_at"])
    return session


@transaction.atomic
def mark_attendance(
    session: TrainingSession,
    *,
    by: User,
    now: datetime,
    person: User,
    status: str,
    score: int | None = None,
    note: str = "",
) -> Attendance:
    """Record whether a person came (and, optionally, their test score); someone who came
    without being invited is added."""
    session = _locked(session)
    if not access.may_edit(session, by):
        raise PermissionDenied(_("You may not change this session."))
    errors: dict[str, list] = {}
    if status not in AttendanceStatus.values:
        errors["status"] = [_("Choose attended, absent or invited.")]
    if status != AttendanceStatus.INVITED and session.held_on > _today(now):
        errors["status"] = [_("Attendance is recorded on or after the session's day.")]
    if score is not None and not 0 <= score <= MAX_SCORE:
        errors["score"] = [_("A score is between 0 and 100.")]
    if score is not None and status != AttendanceStatus.ATTENDED:
        errors["score"] = [_("Only someone who attended has a score.")]
    attendance = session.attendances.filter(person=person).first()
    if attendance is None and not access.may_attend(person, session.region):
        errors["person"] = [_("Only active staff of the session's region can attend.")]
    if errors:
        raise ValidationError(errors)
    attendance = attendance or Attendance(session=session, person=person)
    attendance.status = status
    attendance.score = score
    attendance.note = note.strip()[:300]
    attendance.updated_at = now
    attendance.save()
    return attendance


@transaction.atomic
def add_material(session: TrainingSession, *, by: User, upload, now: datetime) -> Material:
    """Slides or handouts, checked by their first bytes like a case's attachments."""
    session = _locked(session)
    if not access.may_edit(session, by):
        raise PermissionDenied(_("You may not change this session."))
    content_type = checked_content_type(upload)
    material = Material(
        session=session,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
        uploaded_at=now,
    )
    material.file.save(upload.name, upload, save=False)
    material.save()
    session.updated_at = now
    session.save(update_fields=["updated_at"])
    return material


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRecord:
    person: User
    attended: list[Attendance]  # the person's places in sessions, newest first
    given: list[TrainingSession]  # sessions the person was the trainer of, newest first

    @property
    def sessions_attended(self) -> int:
        return sum(
            1
            for attendance in self.attended
            if attendance.status == AttendanceStatus.ATTENDED
            and attendance.session.state == SessionState.HELD
        )

    @property
    def sessions_given(self) -> int:
        return sum(1 for session in self.given if session.state == SessionState.HELD)


def training_record(person: User) -> TrainingRecord:
    """Every session the person was invited to or gave (ask access.access_person first)."""
    attended = list(
        Attendance.objects.filter(person=person)
        .select_related("session", "session__region", "session__trainer")
        .order_by("-session__held_on", "-session_id")
    )
    given = list(
        TrainingSession.objects.filter(trainer=person)
        .select_related("region")
        .order_by("-held_on", "-id")
    )
    return TrainingRecord(person=person, attended=attended, given=given)
