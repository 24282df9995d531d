"""Training sessions held by regional support, and each person's training record."""

from datetime import date, datetime, time
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.knowledge.models import Article
from tierdesk.organization.models import Region, User
from tierdesk.trainings import access, services
from tierdesk.trainings.models import AttendanceStatus, SessionState, TrainingSession

router = Router(tags=["trainings"])

StateCode = Literal[tuple(SessionState.values)]
AttendanceCode = Literal[tuple(AttendanceStatus.values)]
ChangeCode = Literal["held", "cancelled"]


class AttendanceOut(Schema):
    person_id: int
    person: str
    status: AttendanceCode
    score: int | None
    note: str


class MaterialOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class SessionItem(Schema):
    id: int
    title: str
    state: StateCode
    region_id: int
    region: str
    trainer_id: int
    trainer: str
    held_on: date
    starts_at: time | None
    ends_at: time | None
    location: str
    online: bool


class SessionDetail(SessionItem):
    topics: str
    article_ids: list[int]
    attendances: list[AttendanceOut]
    materials: list[MaterialOut]
    created_by: str
    created_at: datetime
    updated_at: datetime


class SessionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    region_id: int
    trainer_id: int
    held_on: date
    starts_at: time | None = None
    ends_at: time | None = None
    location: str = Field("", max_length=200)
    online: bool = False
    topics: str = Field(min_length=1, max_length=5000)
    article_ids: list[int] = Field(default_factory=list)
    attendee_ids: list[int] = Field(default_factory=list)


class SessionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    region_id: int | None = None
    trainer_id: int | None = None
    held_on: date | None = None
    starts_at: time | None = None
    ends_at: time | None = None
    location: str | None = Field(None, max_length=200)
    online: bool | None = None
    topics: str | None = Field(None, min_length=1, max_length=5000)
    article_ids: list[int] | None = None
    attendee_ids: list[int] | None = Field(None, description="Replaces the list of attendees.")


class StateIn(Schema):
    state: ChangeCode


class AttendanceIn(Schema):
    person_id: int
    status: AttendanceCode
    score: int | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=300)


class SessionFilters(Schema):
    region_id: int | None = None
    trainer_id: int | None = None
    state: StateCode | None = None
    start: date | None = Field(None, description="Held on or after this day.")
    end: date | None = Field(None, description="Held on or before this day.")


class RecordOut(Schema):
    person_id: int
    person: str
    sessions_attended: int = Field(description="Held sessions the person attended.")
    sessions_given: int = Field(description="Held sessions the person was the trainer of.")
    attended: list[SessionItem]
    given: list[SessionItem]


def _item(session: TrainingSession) -> dict:
    return {
        "id": session.pk,
        "title": session.title,
        "state": session.state,
        "region_id": session.region_id,
        "region": str(session.region),
        "trainer_id": session.trainer_id,
        "trainer": session.trainer.username,
        "held_on": session.held_on,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "location": session.location,
        "online": session.online,
    }


def _detail(request: HttpRequest, session: TrainingSession) -> dict:
    return {
        **_item(session),
        "topics": session.topics,
        "article_ids": list(session.articles.values_list("pk", flat=True)),
        "attendances": [
            {
                "person_id": item.person_id,
                "person": item.person.username,
                "status": item.status,
                "score": item.score,
                "note": item.note,
            }
            for item in session.attendances.select_related("person")
        ],
        "materials": [
            {
                "id": item.pk,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "url": request.build_absolute_uri(
                    reverse("trainings:material", args=[session.pk, item.pk])
                ),
            }
            for item in session.materials.all()
        ],
        "created_by": session.created_by.username,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    }


def _people(ids: list[int]) -> list[User]:
    return [get_object_or_404(User, pk=pk, is_service_account=False) for pk in dict.fromkeys(ids)]


def _articles(ids: list[int]) -> list[Article]:
    return [get_object_or_404(Article, pk=pk) for pk in dict.fromkeys(ids)]


def _values(data: dict) -> dict:
    """Turn the ids of a request into the objects the services take."""
    values = dict(data)
    if "region_id" in values:
        values["region"] = get_object_or_404(Region, pk=values.pop("region_id"))
    if "trainer_id" in values:
        values["trainer"] = get_object_or_404(
            User, pk=values.pop("trainer_id"), is_service_account=False
        )
    if "article_ids" in values:
        values["articles"] = _articles(values.pop("article_ids"))
    if "attendee_ids" in values:
        values["attendees"] = _people(values.pop("attendee_ids"))
    return values


@router.get("/sessions", response={200: page_of(SessionItem), 400: Problem, 401: Problem})
def list_sessions(
    request: HttpRequest, filters: Query[SessionFilters], page: Query[PageParams]
) -> dict:
    """Sessions the caller may see, newest first."""
    sessions = access.sessions_visible_to(current_user(request)).select_related("region", "trainer")
    if filters.region_id:
        sessions = sessions.filter(region_id=filters.region_id)
    if filters.trainer_id:
        sessions = sessions.filter(trainer_id=filters.trainer_id)
    if filters.state:
        sessions = sessions.filter(state=filters.state)
    if filters.start:
        sessions = sessions.filter(held_on__gte=filters.start)
    if filters.end:
        sessions = sessions.filter(held_on__lte=filters.end)
    result = paginate(sessions, page)
    result["items"] = [_item(session) for session in result["items"]]
    return result


@router.post("/sessions", response={201: SessionDetail, **WRITE_ERRORS})
def create_session(request: HttpRequest, payload: SessionIn):
    """Plan a session; the attendees are invited."""
    session = services.plan_session(
        by=current_user(request), now=timezone.now(), **_values(payload.dict())
    )
    return Status(201, _detail(request, session))


@router.get("/sessions/{int:session_id}", response={200: SessionDetail, **READ_ERRORS})
def get_session(request: HttpRequest, session_id: int) -> dict:
    return _detail(request, access.access_session(current_user(request), session_id))


@router.patch("/sessions/{int:session_id}", response={200: SessionDetail, **WRITE_ERRORS})
def update_session(request: HttpRequest, session_id: int, payload: SessionPatch) -> dict:
    """Change the fields sent; `attendee_ids` replaces the attendees (kept marks stay)."""
    user = current_user(request)
    session = access.access_session(user, session_id)
    changes = _values(payload.dict(exclude_unset=True))
    session = services.update_session(session, by=user, now=timezone.now(), **changes)
    return _detail(request, session)


@router.post("/sessions/{int:session_id}/state", response={200: SessionDetail, **WRITE_ERRORS})
def change_state(request: HttpRequest, session_id: int, payload: StateIn) -> dict:
    """`held` once the session took place (it then counts as a training given), or
    `cancelled`."""
    user = current_user(request)
    session = access.access_session(user, session_id)
    change = services.record_held if payload.state == "held" else services.cancel_session
    return _detail(request, change(session, by=user, now=timezone.now()))


@router.post("/sessions/{int:session_id}/attendance", response={200: SessionDetail, **WRITE_ERRORS})
def record_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> dict:
    """Mark one person attended, absent or invited (with an optional score for attendees)."""
    user = current_user(request)
    session = access.access_session(user, session_id)
    data = payload.dict()
    person = get_object_or_404(User, pk=data.pop("person_id"), is_service_account=False)
    services.mark_attendance(session, by=user, now=timezone.now(), person=person, **data)
    return _detail(request, session)


@router.get("/people/{int:person_id}/record", response={200: RecordOut, **READ_ERRORS})
def person_record(request: HttpRequest, person_id: int) -> dict:
    """The sessions a person was invited to or gave; the caller's own with their id."""
    person = access.access_person(current_user(request), person_id)
    record = services.training_record(person)
    return {
        "person_id": person.pk,
        "person": person.username,
        "sessions_attended": record.sessions_attended,
        "sessions_given": record.sessions_given,
        "attended": [_item(item.session) for item in record.attended],
        "given": [_item(session) for session in record.given],
    }
