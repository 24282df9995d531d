"""Who may read which region's reports: the one place these rules live.

Supervisors, administrators and line 2 (the single interface for every region) read every
region's reports; line 1 reads its own region's. Anyone else reads none.
"""

from django.db.models import QuerySet
from django.http import Http404

from tierdesk.organization import permissions
from tierdesk.organization.models import Region, User


def regions_reported_to(user: User) -> QuerySet[Region]:
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    if permissions.sees_everything(user) or permissions.is_line2(user):
        return Region.objects.all()
    if permissions.is_line1(user) and user.region_id:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()


def may_read_reports(user: User) -> bool:
    regions = regions_reported_to(user)
    if regions.query.is_empty():
        return False
    # The menu asks on every page. Whoever reads reports and has a region of their own reads at
    # least that one (a foreign key, so it exists): only someone without one asks the database.
    return bool(user.region_id) or regions.exists()


def access_region(user: User, code: str) -> Region:
    """The region, if this person may read its reports; else 404, never a hint it exists."""
    region = regions_reported_to(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region
