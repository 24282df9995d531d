"""Who may see an on-site application and who may start one.

An application is seen by whoever may see its case. Two groups need more, because an
application may be made while the case is still with regional support (regulation 6.1.2 b):
Engineering Service sees every application once it is submitted (it decides and dispatches;
submitting also lets line 2 see the case itself), and the dispatched engineer sees the one they
were sent for. Partner vendors never see one.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tierdesk.cases import access as case_access
from tierdesk.cases.models import Case
from tierdesk.onsite.enums import State
from tierdesk.onsite.models import OnsiteApplication
from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User

RELATIONS = [
    "case",
    "applicant",
    "region",
    "customer",
    "site",
    "product",
    "product_version",
    "approver",
    "engineer",
    "dispatched_by",
    "updated_by",
]


def applications_visible_to(user: User) -> QuerySet[OnsiteApplication]:
    applications = OnsiteApplication.objects.all()
    if not user.is_authenticated or not user.is_active:
        return applications.none()
    if permissions.sees_everything(user):
        return applications
    if permissions.is_vendor_contact(user):
        return applications.none()
    scope = Q(case__in=case_access.cases_visible_to(user).values("pk")) | Q(engineer=user)
    if permissions.is_line2(user):
        scope |= ~Q(state=State.DRAFT)
    return applications.filter(scope)


def applications_of_seen_case(case: Case, user: User) -> QuerySet[OnsiteApplication]:
    """The applications of a case this person has been shown (access_case passed): whoever sees
    the case sees them all, so the case page need not ask the case visibility again."""
    if permissions.is_vendor_contact(user) and not permissions.sees_everything(user):
        return OnsiteApplication.objects.none()
    return OnsiteApplication.objects.filter(case=case)


def access_application(user: User, pk: int) -> OnsiteApplication:
    """The application, if this person may see it; otherwise 404, never a hint that it exists."""
    application = applications_visible_to(user).select_related(*RELATIONS).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def may_see(application: OnsiteApplication, user: User) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


def may_apply(case: Case, user: User) -> bool:
    """Regional support applies for an open case of its own region (regulation 6.1.2 b)."""
    return (
        case.is_open
        and user.has_role(RoleCode.REGIONAL_SUPPORT)
        and user.region_id is not None
        and user.region_id == case.region_id
    )


def dispatchable_engineers() -> QuerySet[User]:
    """The after-sales technical-support engineers of Engineering Service (line 2)."""
    return (
        User.objects.filter(is_active=True, roles__code=RoleCode.LINE2_ENGINEER)
        .distinct()
        .order_by("username")
    )


def may_use_onsite(user: User) -> bool:
    """Whether the on-site applications belong in this person's menu."""
    return user.is_authenticated and (
        not permissions.is_vendor_contact(user) or permissions.sees_everything(user)
    )
