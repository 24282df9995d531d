"""Who sees a quality feedback form: its region's line 1, line 2 and R&D once submitted,
the raiser, oversight - never partner vendors."""

import pytest

from tierdesk.quality import access
from tierdesk.quality.enums import State


def sees(feedback, person) -> bool:
    return access.feedbacks_visible_to(person).filter(pk=feedback.pk).exists()


@pytest.mark.parametrize(
    ("persona", "sees_draft", "sees_submitted"),
    [
        ("regional_support", True, True),
        ("field_engineer", True, True),
        ("north_field_engineer", False, False),
        ("north_support", False, False),
        ("line2_engineer", False, True),
        ("rd_engineer", False, True),
        ("supervisor", True, True),
        ("vendor_contact", False, False),
        ("presales_engineer", False, False),
    ],
)
def test_visibility_by_role_and_region(request, bring_to, persona, sees_draft, sees_submitted):
    person = request.getfixturevalue(persona)
    feedback = bring_to(State.DRAFT)
    assert sees(feedback, person) is sees_draft
    feedback = bring_to(State.SUBMITTED)
    assert sees(feedback, person) is sees_submitted


def test_who_may_raise(
    regional_support, line2_engineer, field_engineer, rd_engineer, vendor_contact
):
    assert access.may_raise(regional_support)
    assert access.may_raise(line2_engineer)
    assert not access.may_raise(field_engineer)
    assert not access.may_raise(rd_engineer)
    assert not access.may_raise(vendor_contact)
