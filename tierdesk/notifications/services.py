"""What a person does with their notifications: read and change which kinds they receive."""

from django.db import transaction

from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification, NotificationPreference
from tierdesk.organization.models import User

RECENT = 20


def preferences_of(user: User) -> dict[NotificationKind, bool]:
    """Every kind with whether this person receives it (on unless switched off)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: stored.get(kind.value, True) for kind in NotificationKind}


@transaction.atomic
def set_preferences(*, user: User, enabled: dict[str, bool]) -> dict[NotificationKind, bool]:
    """Switch the given kinds on or off; kinds not mentioned stay as they are."""
    for kind, on in enabled.items():
        preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
        preference = preference or NotificationPreference(user=user, kind=kind)
        preference.enabled = on
        preference.full_clean()
        preference.save()
    return preferences_of(user)


def recent_notifications_of(user: User, *, limit: int = RECENT):
    return (
        Notification.objects.filter(recipient=user).select_related("case").order_by("-pk")[:limit]
    )
