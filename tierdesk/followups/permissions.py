"""Who sees and works on which follow-up: the one place these rules live.

Regional support sees its region's follow-ups, supervisors see every region's, anyone else only
the ones assigned to them. Objects leave this module only after the check; a follow-up someone
may not see is a 404, never a hint that it exists.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tierdesk.followups.models import FollowUp
from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User

RELATIONS = [
    "case",
    "case__region",
    "case__customer",
    "case__contact",
    "case__site",
    "case__product",
    "assignee",
    "resolution_event__actor",
]


def sees_every_region(user: User) -> bool:
    return permissions.sees_everything(user)


def _is_regional_support_of(user: User, region_id: int | None) -> bool:
    return user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id == region_id


def visibility_filter(user: User) -> Q | None:
    """A filter for the follow-ups this person may see; None means every one."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if sees_every_region(user):
        return None
    scope = Q(assignee=user)
    if user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id:
        scope |= Q(region_id=user.region_id)
    return scope


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    condition = visibility_filter(user)
    follow_ups = FollowUp.objects.select_related(*RELATIONS)
    return follow_ups if condition is None else follow_ups.filter(condition)


def access_follow_up(user: User, pk: int) -> FollowUp:
    follow_up = follow_ups_visible_to(user).filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


def may_use_follow_ups(user: User) -> bool:
    """Whether the follow-up pages are part of this person's work (the menu entry)."""
    return user.is_authenticated and (
        user.has_role(RoleCode.REGIONAL_SUPPORT) or sees_every_region(user)
    )


def may_record(follow_up: FollowUp, user: User) -> bool:
    """Record calls and the customer's answer: the assignee, the region's regional support, and
    supervisors (the people the workflow lets close or reopen a resolved case)."""
    if user.is_service_account:
        return False
    return (
        user.pk == follow_up.assignee_id
        or user.has_role(RoleCode.SUPERVISOR)
        or _is_regional_support_of(user, follow_up.case.region_id)
    )


def may_reassign(follow_up: FollowUp, user: User) -> bool:
    if user.is_service_account:
        return False
    return user.has_role(RoleCode.SUPERVISOR) or _is_regional_support_of(
        user, follow_up.case.region_id
    )


def may_filter_by_region(user: User) -> bool:
    return sees_every_region(user)
