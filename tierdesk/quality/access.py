"""Who may see a quality feedback form, who may raise one and who takes which step.

Regulation 6.2.2 and 4.2.1 b: a region raises the form, R&D test support answers it, and
Engineering Service (the single line-2 interface) follows it. So a form is seen by line 1 of
its region, by line 2 and R&D once it is submitted, by whoever raised it, and by oversight.
Partner vendors never see one: it speaks about the company's own product defects.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tierdesk.cases import access as case_access
from tierdesk.organization import permissions
from tierdesk.organization.models import Region, RoleCode, User
from tierdesk.quality.enums import State
from tierdesk.quality.models import QualityFeedback

RELATIONS = ["region", "raised_by", "product", "acknowledged_by", "analysed_by", "verified_by"]


def feedbacks_visible_to(user: User) -> QuerySet[QualityFeedback]:
    feedbacks = QualityFeedback.objects.all()
    if not user.is_authenticated or not user.is_active:
        return feedbacks.none()
    if permissions.sees_everything(user):
        return feedbacks
    if permissions.is_vendor_contact(user):
        return feedbacks.none()
    scope = Q(raised_by=user)
    if permissions.is_line1(user) and user.region_id:
        scope |= Q(region_id=user.region_id)
    if permissions.is_line2(user) or user.has_role(RoleCode.RD_ENGINEER):
        scope |= ~Q(state=State.DRAFT)
    return feedbacks.filter(scope)


def access_feedback(user: User, pk: int) -> QualityFeedback:
    """The form, if this person may see it; otherwise 404, never a hint that it exists."""
    feedback = feedbacks_visible_to(user).select_related(*RELATIONS).filter(pk=pk).first()
    if feedback is None:
        raise Http404
    return feedback


def may_see(feedback: QualityFeedback, user: User) -> bool:
    return feedbacks_visible_to(user).filter(pk=feedback.pk).exists()


def may_raise(user: User) -> bool:
    """Regional support raises forms for its region; Engineering Service for any region."""
    return (
        user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id is not None
    ) or permissions.is_line2(user)


def regions_for(user: User):
    """The regions this person may raise a form for."""
    if permissions.is_line2(user):
        return Region.objects.all()
    if user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id is not None:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()


def linkable_cases(user: User):
    """Only cases the raiser may see can be linked: a form must not reveal others' cases."""
    return case_access.cases_visible_to(user)


def is_rd(user: User) -> bool:
    return user.has_role(RoleCode.RD_ENGINEER)


def is_of_region(feedback: QualityFeedback, user: User) -> bool:
    """The form's raiser, or regional support of its region: they verify the fix in the field."""
    return user.pk == feedback.raised_by_id or (
        user.has_role(RoleCode.REGIONAL_SUPPORT) and user.region_id == feedback.region_id
    )


def may_add_evidence(feedback: QualityFeedback, user: User) -> bool:
    return feedback.state != State.CLOSED and (is_of_region(feedback, user) or is_rd(user))


def may_use_quality(user: User) -> bool:
    """Whether the quality feedback forms belong in this person's menu."""
    return user.is_authenticated and (
        permissions.sees_everything(user) or not permissions.is_vendor_contact(user)
    )
