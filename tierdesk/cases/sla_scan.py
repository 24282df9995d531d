"""The SLA scan: mark warnings and breaches exactly once, however often it runs."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import Case, CaseEvent


def scan(*, now: datetime, batch: int = 500) -> dict[str, int]:
    """Record SLA warnings and breaches due before `now`; safe to re-run or run twice at once."""
    counts = {"warned": 0, "breached": 0}
    for kind, due_field, mark_field in (
        (EventKind.SLA_WARNING, "warn_due_at", "warned_at"),
        (EventKind.SLA_BREACH, "resolve_due_at", "breached_at"),
    ):
        while True:
            with transaction.atomic():
                # skip_locked: a second scanner takes other rows instead of waiting or repeating.
                due = list(
                    Case.objects.open()
                    .filter(**{f"{due_field}__lt": now, mark_field: None})
                    .select_for_update(skip_locked=True)
                    .order_by(due_field)[:batch]
                )
                for case in due:
                    setattr(case, mark_field, now)
                    case.save(update_fields=[mark_field])
                    CaseEvent.objects.create(
                        case=case,
                        kind=kind,
                        at=now,
                        to_line=case.line,
                        text=_("Resolution due at %(due)s")
                        % {"due": f"{timezone.localtime(case.resolve_due_at):%Y-%m-%d %H:%M}"},
                    )
                counts["breached" if kind == EventKind.SLA_BREACH else "warned"] += len(due)
            if len(due) < batch:
                break
    return counts
