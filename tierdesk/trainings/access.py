"""Who may plan, record and see training sessions and training records.

Regulation 6.1.2 b: regional technical support trains its region's staff regularly, so regional
support plans and records its own region's sessions. Engineering Service (line 2) trains the
regions on products and solutions, and table 1 counts the trainings each line-2 engineer gave,
so line-2 engineers record the sessions they give in any region. The Engineering Service
manager and the supervisors keep every region's sessions. Everyone sees the sessions of their
region and their own record; the supervisors and the Engineering Service manager see all.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tierdesk.organization import permissions
from tierdesk.organization.models import Region, RoleCode, User
from tierdesk.trainings.models import Attendance, TrainingSession


def _signed_in(user: User) -> bool:
    return user.is_authenticated and user.is_active


def sees_all_regions(user: User) -> bool:
    return _signed_in(user) and (
        permissions.sees_everything(user) or user.has_role(RoleCode.SERVICE_MANAGER)
    )


def may_plan(user: User) -> bool:
    """Whether the person may plan sessions at all (in some region)."""
    return sees_all_regions(user) or (
        _signed_in(user)
        and (
            (user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id is not None)
            or permissions.is_line2(user)
        )
    )


def may_plan_in(user: User, region: Region) -> bool:
    if sees_all_regions(user) or (_signed_in(user) and permissions.is_line2(user)):
        return True
    return (
        _signed_in(user)
        and user.has_role(RoleCode.REGIONAL_SUPPORT)
        and user.region_id == region.pk
    )


def is_organizer_of(session: TrainingSession, user: User) -> bool:
    """Keeps the session: the region's regional support, or any region's keepers."""
    return sees_all_regions(user) or (
        _signed_in(user)
        and user.has_role(RoleCode.REGIONAL_SUPPORT)
        and user.region_id == session.region_id
    )


def may_edit(session: TrainingSession, user: User) -> bool:
    """Organizers edit their region's sessions; a line-2 engineer the ones they give or
    created. A cancelled session stays as it was."""
    if session.is_cancelled:
        return False
    return is_organizer_of(session, user) or (
        _signed_in(user)
        and permissions.is_line2(user)
        and user.pk in (session.trainer_id, session.created_by_id)
    )


def may_be_trainer(person: User, region: Region) -> bool:
    """The region's regional support, Engineering Service or a specialist group."""
    if not person.is_active or person.is_service_account:
        return False
    if person.has_role(*permissions.LINE2_ROLES, *permissions.SPECIALIST_ROLES):
        return True
    return person.has_role(RoleCode.REGIONAL_SUPPORT) and person.region_id == region.pk


def may_attend(person: User, region: Region) -> bool:
    """The region's own staff are the ones trained (6.1.2 b)."""
    return (
        person.is_active
        and not person.is_service_account
        and not permissions.is_vendor_contact(person)
        and person.region_id == region.pk
    )


def sessions_visible_to(user: User) -> QuerySet[TrainingSession]:
    if not _signed_in(user):
        return TrainingSession.objects.none()
    if sees_all_regions(user):
        return TrainingSession.objects.all()
    scope = (
        Q(trainer=user)
        | Q(created_by=user)
        | Q(Exists(Attendance.objects.filter(session=OuterRef("pk"), person=user)))
    )
    if user.region_id is not None and not permissions.is_vendor_contact(user):
        scope |= Q(region_id=user.region_id)
    return TrainingSession.objects.filter(scope)


def access_session(user: User, pk: int) -> TrainingSession:
    """The session, if this person may see it; otherwise 404, never a hint that it exists."""
    session = (
        sessions_visible_to(user)
        .select_related("region", "trainer", "created_by")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    return session


def may_see_record_of(person: User, viewer: User) -> bool:
    if not _signed_in(viewer):
        return False
    if viewer.pk == person.pk or sees_all_regions(viewer):
        return True
    # Regional support follows the training of its region's people.
    return (
        viewer.has_role(RoleCode.REGIONAL_SUPPORT)
        and viewer.region_id is not None
        and viewer.region_id == person.region_id
    )


def access_person(viewer: User, pk: int) -> User:
    person = User.objects.select_related("region").filter(pk=pk, is_service_account=False).first()
    if person is None or not may_see_record_of(person, viewer):
        raise Http404
    return person
