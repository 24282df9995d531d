"""What each role's home page shows: a handful of aggregate queries per role, each limited to
the cases and follow-ups the person may see."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from tierdesk.cases.access import cases_visible_to
from tierdesk.cases.enums import Action, Status
from tierdesk.cases.models import CaseEvent, ClockSpan
from tierdesk.followups.models import FollowUp
from tierdesk.followups.permissions import follow_ups_visible_to
from tierdesk.organization import permissions
from tierdesk.organization.models import Region, RoleCode, User
from tierdesk.reports.event_management import SATISFACTION_POINTS
from tierdesk.reports.periods import Period

DUE_SOON = timedelta(hours=24)
HANDED_BACK_WITHIN = timedelta(days=7)
LIST_LENGTH = 10
LINE2_GROUPS = [Status.LINE2, Status.RD, Status.PRESALES, Status.PRODUCT, Status.VENDOR]


@dataclass(frozen=True)
class RegionQuarter:
    region: Region
    compliance: float | None
    previous_compliance: float | None
    score: float | None
    previous_score: float | None


def field_engineer_panel(user: User, now: datetime) -> dict:
    mine = cases_visible_to(user).open().filter(owner=user)
    due_soon = mine.filter(resolve_due_at__lt=now + DUE_SOON)
    return {
        "open_count": mine.count(),
        "due_soon_count": due_soon.count(),
        "due_soon": list(due_soon.order_by("resolve_due_at")[:LIST_LENGTH]),
    }


def regional_support_panel(user: User, now: datetime) -> dict:
    region_cases = cases_visible_to(user).open().filter(region_id=user.region_id)
    queue = region_cases.filter(status=Status.REGIONAL)
    follow_ups = follow_ups_visible_to(user).open().filter(region_id=user.region_id)
    return {
        "queue_count": queue.count(),
        "queue": list(queue.order_by(F("resolve_due_at").asc(nulls_last=True))[:LIST_LENGTH]),
        "breached_count": region_cases.exclude(breached_at=None).count(),
        "follow_ups_due_count": follow_ups.filter(due_at__lt=now + DUE_SOON).count(),
        "follow_ups_overdue_count": follow_ups.filter(due_at__lt=now).count(),
    }


def line2_panel(user: User, now: datetime) -> dict:
    visible = cases_visible_to(user)
    counts = dict(
        visible.open()
        .filter(status__in=LINE2_GROUPS)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    handed_back = (
        CaseEvent.objects.filter(
            action=Action.HAND_BACK,
            at__gte=now - HANDED_BACK_WITHIN,
            case__in=visible.filter(status=Status.LINE2),
        )
        .select_related("case", "actor")
        .order_by("-at")
    )
    return {
        "groups": [(status, status.label, counts.get(status, 0)) for status in LINE2_GROUPS],
        "handed_back": list(handed_back[:LIST_LENGTH]),
    }


def _compliance_by_region(period: Period) -> dict[int, float]:
    rows = (
        ClockSpan.objects.filter(
            ended_at__gte=period.start, ended_at__lt=period.end, resolve_due_at__isnull=False
        )
        .values("region_id")
        .annotate(total=Count("pk"), met=Count("pk", filter=Q(ended_at__lte=F("resolve_due_at"))))
        .order_by()
    )
    return {row["region_id"]: row["met"] / row["total"] for row in rows}


def _score_by_region(period: Period) -> dict[int, float]:
    rows = (
        FollowUp.objects.filter(closed_at__gte=period.start, closed_at__lt=period.end)
        .exclude(satisfaction="")
        .values_list("region_id", "satisfaction")
        .annotate(n=Count("*"))
        .order_by()
    )
    points: dict[int, list[int]] = {}
    for region_id, level, n in rows:
        total = points.setdefault(region_id, [0, 0])
        total[0] += SATISFACTION_POINTS[level] * n
        total[1] += n
    return {region_id: total / n for region_id, (total, n) in points.items()}


def supervisor_panel(user: User, now: datetime) -> dict:
    """SLA compliance (all lines) and satisfaction per region, this quarter against the last."""
    this = Period.quarter_of(timezone.localdate(now))
    last = this.previous()
    compliance, previous_compliance = _compliance_by_region(this), _compliance_by_region(last)
    score, previous_score = _score_by_region(this), _score_by_region(last)
    return {
        "quarter": this,
        "previous_quarter": last,
        "regions": [
            RegionQuarter(
                region,
                compliance.get(region.pk),
                previous_compliance.get(region.pk),
                score.get(region.pk),
                previous_score.get(region.pk),
            )
            for region in Region.objects.all()
        ],
    }


def dashboard_for(user: User, now: datetime) -> dict:
    """The panels of the person's roles, by role code."""
    panels = {}
    if user.has_role(RoleCode.FIELD_ENGINEER):
        panels[RoleCode.FIELD_ENGINEER] = field_engineer_panel(user, now)
    if user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id:
        panels[RoleCode.REGIONAL_SUPPORT] = regional_support_panel(user, now)
    if permissions.is_line2(user):
        # Shown on the line-2 engineer's card, or on the manager's when that is the only one.
        role = RoleCode.LINE2_ENGINEER
        if not user.has_role(role):
            role = RoleCode.SERVICE_MANAGER
        panels[role] = line2_panel(user, now)
    if user.has_role(RoleCode.SUPERVISOR):
        panels[RoleCode.SUPERVISOR] = supervisor_panel(user, now)
    return panels
