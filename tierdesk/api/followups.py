"""Satisfaction follow-ups (回访): the caller's list, one follow-up, calls and the answer."""

from datetime import datetime
from typing import Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, field_validator

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.followups import links, services
from tierdesk.followups.enums import FollowUpState, Satisfaction
from tierdesk.followups.models import FollowUp, FollowUpAttempt
from tierdesk.followups.permissions import access_follow_up, follow_ups_visible_to, may_record

router = Router(tags=["follow-ups"])

StateCode = Literal[tuple(FollowUpState.values)]
SatisfactionCode = Literal[tuple(Satisfaction.values)]


class FollowUpItem(Schema):
    id: int
    case_id: int
    case_reference: str
    case_title: str
    region: str
    assignee: str | None
    state: StateCode
    due_at: datetime
    overdue: bool = Field(description="Open and past its due time.")
    failed_calls: int
    max_failed_attempts: int
    satisfaction: SatisfactionCode | Literal[""]
    closed_at: datetime | None

    @staticmethod
    def resolve_case_reference(follow_up: FollowUp) -> str:
        return follow_up.case.reference

    @staticmethod
    def resolve_case_title(follow_up: FollowUp) -> str:
        return follow_up.case.title

    @staticmethod
    def resolve_region(follow_up: FollowUp) -> str:
        return follow_up.case.region.code

    @staticmethod
    def resolve_assignee(follow_up: FollowUp) -> str | None:
        return follow_up.assignee.username if follow_up.assignee else None

    @staticmethod
    def resolve_overdue(follow_up: FollowUp) -> bool:
        return follow_up.is_overdue(timezone.now())


class AttemptOut(Schema):
    id: int
    caller: str
    at: datetime
    reached: bool
    note: str

    @staticmethod
    def resolve_caller(attempt: FollowUpAttempt) -> str:
        return attempt.caller.username


class FollowUpDetail(FollowUpItem):
    comment: str
    answered_via: Literal["phone", "link", ""]
    created_at: datetime
    attempts: list[AttemptOut]
    answer_link: str | None = Field(
        description="The customer's one-time answer link, for those who may record the answer "
        "while the follow-up is open."
    )

    @staticmethod
    def resolve_attempts(follow_up: FollowUp) -> list[FollowUpAttempt]:
        return list(follow_up.attempts.select_related("caller"))

    @staticmethod
    def resolve_answer_link(follow_up: FollowUp) -> str | None:
        return getattr(follow_up, "answer_link", None)


class FollowUpFilters(Schema):
    scope: Literal["mine", "all"] = Field(
        "mine", description="`mine`: assigned to the caller; `all`: every one the caller may see."
    )
    state: StateCode | None = Field(None, description="Only follow-ups in this state.")
    overdue: bool | None = Field(None, description="Only open follow-ups past their due time.")


def _refuse_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; say so as a field error rather than failing later.
    if "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


class AttemptIn(Schema):
    reached: bool
    note: str = Field("", max_length=2000)

    @field_validator("note")
    @classmethod
    def refuse_nul(cls, value: str) -> str:
        return _refuse_nul(value)


class AnswerIn(Schema):
    satisfaction: SatisfactionCode = Field(
        description="`neutral` and better close the case; `dissatisfied` and "
        "`very_dissatisfied` reopen it at the line that resolved it, with `comment` as reason."
    )
    comment: str = Field("", max_length=4000)

    @field_validator("comment")
    @classmethod
    def refuse_nul(cls, value: str) -> str:
        return _refuse_nul(value)


def _counted(follow_ups):
    return follow_ups.annotate(failed_calls=Count("attempts", filter=Q(attempts__reached=False)))


def _detail(request: HttpRequest, follow_up_id: int) -> FollowUp:
    user = current_user(request)
    follow_up = _counted(follow_ups_visible_to(user)).get(pk=follow_up_id)
    if follow_up.is_open and follow_up.assignee_id and may_record(follow_up, user):
        token = services.answer_token(follow_up, now=timezone.now())
        follow_up.answer_link = links.answer_url(token)
    return follow_up


@router.get("", response={200: page_of(FollowUpItem), 400: Problem, 401: Problem})
def list_follow_ups(
    request: HttpRequest, filters: Query[FollowUpFilters], page: Query[PageParams]
) -> dict:
    """Follow-ups in the order they were planned (oldest, so soonest due, first)."""
    user = current_user(request)
    follow_ups = follow_ups_visible_to(user)
    if filters.scope == "mine":
        follow_ups = follow_ups.filter(assignee=user)
    if filters.state:
        follow_ups = follow_ups.filter(state=filters.state)
    if filters.overdue is not None:
        overdue = Q(state=FollowUpState.OPEN, due_at__lt=timezone.now())
        follow_ups = follow_ups.filter(overdue) if filters.overdue else follow_ups.exclude(overdue)
    return paginate(_counted(follow_ups), page, descending=False)


@router.get("/{int:follow_up_id}", response={200: FollowUpDetail, **READ_ERRORS})
def get_follow_up(request: HttpRequest, follow_up_id: int):
    access_follow_up(current_user(request), follow_up_id)
    return _detail(request, follow_up_id)


@router.post("/{int:follow_up_id}/attempts", response={201: FollowUpDetail, **WRITE_ERRORS})
def record_attempt(request: HttpRequest, follow_up_id: int, payload: AttemptIn):
    """Record one call; the rule's number of failed calls closes the case as unreachable."""
    user = current_user(request)
    follow_up = access_follow_up(user, follow_up_id)
    services.record_attempt(
        follow_up, by=user, reached=payload.reached, note=payload.note, now=timezone.now()
    )
    return Status(201, _detail(request, follow_up_id))


@router.post("/{int:follow_up_id}/answer", response={200: FollowUpDetail, **WRITE_ERRORS})
def record_answer(request: HttpRequest, follow_up_id: int, payload: AnswerIn):
    """Record the customer's answer on the phone: closes or reopens the case."""
    user = current_user(request)
    follow_up = access_follow_up(user, follow_up_id)
    services.record_answer(
        follow_up,
        by=user,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
        now=timezone.now(),
    )
    return _detail(request, follow_up_id)
