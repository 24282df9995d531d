"""Training counts for reports and the quarterly assessment (table 1, "trainings given")."""

from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from tierdesk.organization.models import User
from tierdesk.trainings.models import TrainingSession


def trainings_given(*, people: list[User], start: datetime, end: datetime) -> dict[int, int]:
    """Per person (by id): held sessions they were the trainer of, on a day in [start, end)
    in the desk's time zone. Planned and cancelled sessions do not count."""
    ids = [person.pk for person in people]
    given = dict(
        TrainingSession.objects.held()
        .between(timezone.localdate(start), timezone.localdate(end))
        .filter(trainer_id__in=ids)
        .order_by()
        .values("trainer_id")
        .annotate(n=Count("pk"))
        .values_list("trainer_id", "n")
    )
    return {pk: given.get(pk, 0) for pk in ids}
