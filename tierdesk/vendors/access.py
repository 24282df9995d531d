"""Who sees a vendor coordination record and who writes what in it.

A record is seen by whoever may see its case; partner vendor contacts see only their own
vendor's cases (tierdesk.cases.access limits them) and only the customer-safe entries.
Regulation 6.3.2: the vendor is reached through the coordinator, who sets the targets; line 2
stays accountable and may ask too; the vendor contact writes answers.
"""

from django.db.models import QuerySet
from django.http import Http404

from tierdesk.cases import access as case_access
from tierdesk.cases.models import Case
from tierdesk.organization import permissions
from tierdesk.organization.models import User
from tierdesk.vendors.enums import EntryKind
from tierdesk.vendors.models import VendorCoordination


def is_line3_case(case: Case) -> bool:
    """A case that went to a partner vendor: it names the vendor and the coordinator."""
    return case.vendor_id is not None and case.coordinator_id is not None


def records_visible_to(user: User) -> QuerySet[VendorCoordination]:
    return VendorCoordination.objects.filter(
        case__in=case_access.cases_visible_to(user).values("pk")
    )


def access_line3_case(user: User, case_pk: int) -> Case:
    """The line-3 case, if this person may see it; otherwise 404."""
    case = case_access.access_case(user, case_pk)
    if not is_line3_case(case):
        raise Http404
    return case


def is_vendor_of(case: Case, user: User) -> bool:
    return permissions.is_vendor_contact(user) and user.vendor_id == case.vendor_id


def is_coordinator(case: Case, user: User) -> bool:
    return user.pk == case.coordinator_id


def may_set_targets(case: Case, user: User) -> bool:
    """The coordinator sets the vendor's targets and notes the vendor's ticket number."""
    return case.is_open and is_coordinator(case, user)


def may_set_ticket(case: Case, user: User) -> bool:
    return may_set_targets(case, user) or (case.is_open and is_vendor_of(case, user))


def entry_kinds_for(case: Case, user: User) -> list[EntryKind]:
    """What this person may write on the record: requests on our side, answers on the vendor's.

    The coordinator also records an answer the vendor gave by phone or mail.
    """
    if not case.is_open:
        return []
    if is_vendor_of(case, user):
        return [EntryKind.ANSWER, EntryKind.FIX]
    kinds = []
    if is_coordinator(case, user) or permissions.is_line2(user):
        kinds += [EntryKind.REQUEST, EntryKind.NOTE]
    if is_coordinator(case, user):
        kinds += [EntryKind.ANSWER, EntryKind.FIX]
    return kinds


def may_use_vendor_records(user: User) -> bool:
    """Whether the list of coordination records belongs in this person's menu."""
    return user.is_authenticated and (
        permissions.can_coordinate_vendors(user)
        or permissions.is_line2(user)
        or permissions.sees_everything(user)
        or permissions.is_vendor_contact(user)
    )
