"""The signed-in person's notification settings and the mail tierdesk sent them."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from tierdesk.api.cases import current_user
from tierdesk.api.errors import Problem
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.notifications import services
from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification

router = Router(tags=["notifications"])

KindCode = Literal[tuple(NotificationKind.values)]


class Preference(Schema):
    kind: str
    label: str
    enabled: bool


class Preferences(Schema):
    preferences: list[Preference]


class PreferencesIn(Schema):
    enabled: dict[KindCode, bool]


class SentMail(Schema):
    id: int
    case: str
    kind: str
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None

    @staticmethod
    def resolve_case(notification: Notification) -> str:
        return notification.case.reference


def _preferences(choices: dict[NotificationKind, bool]) -> dict:
    return {
        "preferences": [
            {"kind": kind.value, "label": str(kind.label), "enabled": enabled}
            for kind, enabled in choices.items()
        ]
    }


@router.get("", response={200: Preferences, 401: Problem})
def get_preferences(request: HttpRequest) -> dict:
    """Which kinds of mail I receive; every kind is on until switched off."""
    return _preferences(services.preferences_of(current_user(request)))


@router.put("", response={200: Preferences, 400: Problem, 401: Problem, 422: Problem})
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict:
    """Switch kinds on (true) or off (false); kinds not in `enabled` stay as they are."""
    choices = services.set_preferences(user=current_user(request), enabled=payload.enabled)
    return _preferences(choices)


@router.get("/sent", response={200: page_of(SentMail), 400: Problem, 401: Problem})
def list_sent(request: HttpRequest, page: Query[PageParams]) -> dict:
    """The mail planned for me, newest first, with its delivery state."""
    mails = Notification.objects.filter(recipient=current_user(request)).select_related("case")
    return paginate(mails, page)
