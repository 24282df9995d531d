"""Who may see a case and what they may do to it beyond the chart's transitions.

One rule for lists, detail pages, search and exports; the workflow services ask the same
questions before they change anything, so the web pages, the API and the jobs cannot differ.
"""

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


RELATIONS_OF_A_CASE = ("customer", "site", "region", "product")
OPTIONAL_RELATIONS_OF_A_CASE = ("contact", "product_version")
# The people a case page names, loaded in one query beside the case.
PEOPLE_OF_A_CASE = ("owner", "line2_owner", "reporter", "coordinator", "updated_by")


def access_case(user: User, pk: int, *, related: bool = True) -> Case:
    """The case, if this person may see it; otherwise 404, never a hint that it exists.

    related=False reads the case row alone, for a caller that only adds to the case (a comment).
    """
    visible = cases_visible_to(user).filter(pk=pk)
    if not related:
        case = visible.first()
        if case is None:
            raise Http404
        return case
    # Joining every related table at once costs PostgreSQL more to plan than to run: the
    # relations every case has are joined, the optional ones (outer joins, the costliest to
    # plan) are looked up only when set, and the people come in one more plain query.
    case = visible.select_related(*RELATIONS_OF_A_CASE).first()
    if case is None:
        raise Http404
    for name in OPTIONAL_RELATIONS_OF_A_CASE:
        field = Case._meta.get_field(name)
        related_id = getattr(case, field.attname)
        found = field.related_model.objects.get(pk=related_id) if related_id else None
        field.set_cached_value(case, found)
    attach_people(case)
    return case


def may_see(case: Case, user: User) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def sees_internal(user: User) -> bool:
    """Partner vendors read only the customer-safe part of a case."""
    return not (permissions.is_vendor_contact(user) and not permissions.sees_everything(user))


def keeps_internal(user: User, internal: bool) -> bool:
    """Whether a note or file this person adds stays internal: a vendor's word never does."""
    return internal and sees_internal(user)


def may_open_cases(user: User) -> bool:
    return permissions.is_line1(user) or permissions.is_line2(user) or user.is_service_account


def _works_on(case: Case, user: User) -> bool:
    """Engineers accountable for the case now: its owners, its region's line 1 while the case
    is at line 1, Engineering Service, and the supervisors."""
    if permissions.sees_everything(user) or permissions.is_line2(user):
        return True
    if user.pk in (case.owner_id, case.line2_owner_id, case.reporter_id):
        return True
    return permissions.is_line1(user) and user.region_id == case.region_id


def may_edit(case: Case, user: User) -> bool:
    """Correct the title, description, priority, classification, contact or version."""
    return case.is_open and _works_on(case, user) and not permissions.is_vendor_contact(user)


def may_pause(case: Case, user: User) -> bool:
    """Stop the clocks while the customer or the vendor owes an answer."""
    return case.is_open and (_works_on(case, user) or user.pk == case.coordinator_id)


def may_see_problems(user: User) -> bool:
    return not permissions.is_vendor_contact(user) or permissions.sees_everything(user)


def may_manage_problems(user: User) -> bool:
    """Problems are Engineering Service's: line 2 records, links and resolves them."""
    return permissions.is_line2(user) or permissions.sees_everything(user)


def may_link_problem(case: Case, user: User) -> bool:
    return may_manage_problems(user) or (
        permissions.is_line1(user) and user.region_id == case.region_id
    )


def attach_people(case: Case) -> None:
    """Load the people the case names (owner, line-2 owner, reporter, ...) in one query."""
    fields = [Case._meta.get_field(name) for name in PEOPLE_OF_A_CASE]
    ids = {getattr(case, field.attname) for field in fields} - {None}
    people = User.objects.in_bulk(ids) if ids else {}
    for field in fields:
        field.set_cached_value(case, people.get(getattr(case, field.attname)))
