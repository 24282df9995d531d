"""Which cases a person may see: one rule for lists, detail pages, search and exports."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tierdesk.cases.enums import Status
from tierdesk.cases.models import Case, CaseParticipation
from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User

# The specialist groups and the role that works in each.
GROUP_OF_ROLE = {
    RoleCode.RD_ENGINEER: Status.RD,
    RoleCode.PRESALES_ENGINEER: Status.PRESALES,
    RoleCode.PRODUCT_MANAGER: Status.PRODUCT,
    RoleCode.INTEGRATION_PRODUCT_MANAGER: Status.PRODUCT,
}


def _reached(group: str) -> Q:
    return Q(Exists(CaseParticipation.objects.filter(case=OuterRef("pk"), group=group)))


def visibility_filter(user: User) -> Q | None:
    """A filter for the cases this person may see; None means every case."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if permissions.sees_everything(user):
        return None
    scope = Q(reporter=user) | Q(owner=user) | Q(line2_owner=user) | Q(coordinator=user)
    if permissions.is_line1(user) and user.region_id:
        scope |= Q(region_id=user.region_id)
    if permissions.is_line2(user):
        scope |= _reached(Status.LINE2)
    for role, group in GROUP_OF_ROLE.items():
        if user.has_role(role):
            scope |= _reached(group)
    if permissions.can_coordinate_vendors(user):
        scope |= _reached(Status.VENDOR) & Q(coordinator=user)
    if permissions.is_vendor_contact(user):
        scope |= Q(vendor_id=user.vendor_id) & _reached(Status.VENDOR)
    return scope


def cases_visible_to(user: User) -> QuerySet[Case]:
    condition = visibility_filter(user)
    cases = Case.objects.all()
    return cases if condition is None else cases.filter(condition)


def access_case(user: User, pk: int) -> Case:
    """The case, if this person may see it; otherwise 404, never a hint that it exists."""
    case = (
        cases_visible_to(user)
        .select_related(
            "customer",
            "contact",
            "site",
            "region",
            "product",
            "product_version",
            "owner",
            "line2_owner",
            "reporter",
            "vendor",
            "coordinator",
            "problem",
            "updated_by",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def sees_internal(user: User) -> bool:
    """Partner vendors read only the customer-safe part of a case."""
    return not (permissions.is_vendor_contact(user) and not permissions.sees_everything(user))
