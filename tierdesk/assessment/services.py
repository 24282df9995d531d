"""The supervisor's actions on a quarterly assessment: open it, comment per person, sign off."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierdesk.assessment.models import AssessmentComment, Item, QuarterlyAssessment
from tierdesk.assessment.permissions import may_review_assessment
from tierdesk.assessment.table import figures_snapshot
from tierdesk.organization.models import User
from tierdesk.reports.periods import QUARTER, Period


def get_or_open_assessment(*, period: Period, now: datetime) -> QuarterlyAssessment:
    if period.kind != QUARTER:
        raise ValueError("assessments are per quarter")
    assessment, _created = QuarterlyAssessment.objects.get_or_create(
        year=period.year, quarter=period.number, defaults={"created_at": now}
    )
    return assessment


def _lock_open(assessment: QuarterlyAssessment, by: User) -> QuarterlyAssessment:
    if not may_review_assessment(by):
        raise PermissionDenied
    # Lock the row: a comment must not slip in while the quarter is being signed off.
    locked = QuarterlyAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_locked:
        raise ValidationError(_("This quarter is signed off and locked."))
    return locked


def _assessed_people(assessment: QuarterlyAssessment, item: str) -> set[int]:
    return {entry["person_id"] for entry in figures_snapshot(assessment)[item]}


@transaction.atomic
def comment_on_person(
    *,
    assessment: QuarterlyAssessment,
    item: Item,
    person: User,
    text: str,
    by: User,
    now: datetime,
) -> AssessmentComment | None:
    """Write, replace or (with empty text) remove the supervisor's comment on one result."""
    assessment = _lock_open(assessment, by)
    if person.pk not in _assessed_people(assessment, item):
        raise ValidationError(_("This person is not assessed for this item."))
    text = text.strip()
    if not text:
        AssessmentComment.objects.filter(assessment=assessment, item=item, person=person).delete()
        return None
    comment = AssessmentComment.objects.filter(
        assessment=assessment, item=item, person=person
    ).first() or AssessmentComment(assessment=assessment, item=item, person=person)
    comment.text, comment.written_by, comment.written_at = text, by, now
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def sign_off_assessment(
    *, assessment: QuarterlyAssessment, conclusion: str, by: User, now: datetime
) -> QuarterlyAssessment:
    """Freeze the quarter's figures with the supervisor's conclusion; nothing changes after."""
    assessment = _lock_open(assessment, by)
    if now < assessment.period.end:
        raise ValidationError(_("A quarter can be signed off only after it has ended."))
    assessment.figures = figures_snapshot(assessment)
    assessment.conclusion = conclusion.strip()
    assessment.signed_off_by, assessment.signed_off_at = by, now
    assessment.full_clean()
    assessment.save()
    return assessment
